package io.pgops.stack;

import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.postgres.Secrets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two files every service reads (through {@code quarkus.config.locations}): the cluster
 * inventory, with credentials by reference, and the connection settings of the suite itself.
 */
public final class ServiceConfig {
    private ServiceConfig() {}

    /**
     * The inventory format every service reads: {@code pgops.clusters.<cluster-id>.nodes.<node>.*}.
     * Role hints are only the bootstrap roles: the live roles come from probes and the topology.
     */
    public static Map<String, String> inventory(
            String clusterId, List<PgNode> nodes, Path passwordFile, Path caCertificate) {
        Map<String, String> m = new LinkedHashMap<>();
        String prefix = "pgops.clusters." + clusterId + ".";
        m.put(prefix + "credentials.username", PgTopology.PGOPS_USER);
        m.put(prefix + "credentials.password-file", passwordFile.toString());
        m.put(prefix + "database", "postgres");
        // every node serves the stack's certificate: the services check it against the stack's CA and the address
        m.put(prefix + "sslmode", "verify-full");
        m.put(prefix + "sslrootcert", caCertificate.toString());
        for (int i = 0; i < nodes.size(); i++) {
            PgNode n = nodes.get(i);
            String np = prefix + "nodes." + n.name() + ".";
            m.put(np + "host", "127.0.0.1");
            m.put(np + "port", Integer.toString(n.port()));
            m.put(np + "role-hint", i == 0 ? "primary" : i == 1 ? "sync-standby" : "async-standby");
        }
        return m;
    }

    /** A map as a properties file's text, in the map's order. */
    public static String properties(String comment, Map<String, String> entries) {
        StringBuilder sb = new StringBuilder("# ").append(comment).append('\n');
        entries.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /**
     * Kafka ({@code kafkaSettings}: TLS and SASL, {@code kafka.}-less), pgops' own database and the stack's token key
     * ({@link Tokens}); holds passwords, so it is written with mode 600.
     */
    public static void writeSuite(
            Path file,
            String bootstrap,
            Map<String, String> kafkaSettings,
            PgNode pgopsDb,
            Secrets secrets,
            Tokens tokens,
            Path caCertificate) {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "# pgops suite connections, written by the local stack (mode 600: holds passwords)",
                "kafka.bootstrap.servers=" + bootstrap,
                "quarkus.datasource.reactive.url=postgresql://127.0.0.1:" + pgopsDb.port() + "/pgops",
                "quarkus.datasource.username=" + PgTopology.PGOPS_USER,
                "quarkus.datasource.password=" + secrets.password("pgops-db"),
                "mp.jwt.verify.publickey.location=" + tokens.keySetFile(),
                "mp.jwt.verify.issuer=" + Tokens.ISSUER));
        kafkaSettings.forEach((k, v) -> lines.add("kafka." + k + "=" + v));
        pgopsDbTls(caCertificate).forEach((k, v) -> lines.add(k + "=" + v));
        lines.add("");
        Secrets.writePrivate(file, String.join("\n", lines));
    }

    /**
     * pgops' own database over TLS verified as the managed nodes are ({@code verify-full} against the stack's CA), in
     * Quarkus' reactive datasource settings.
     */
    public static Map<String, String> pgopsDbTls(Path caCertificate) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full");
        m.put("quarkus.datasource.reactive.trust-certificate-pem", "true");
        m.put("quarkus.datasource.reactive.trust-certificate-pem.certs", caCertificate.toString());
        m.put("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS");
        return m;
    }
}
