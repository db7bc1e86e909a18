package io.pgops.stack.postgres;

import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.OsUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The local stack's certificate authority for its PostgreSQL nodes, made with the {@code openssl} command-line tool
 * (Debian's PostgreSQL server packages depend on it): an EC P-256 CA whose certificate is public ({@code ca}, mode
 * 644, beside the nodes so the PostgreSQL OS user's tools and WAL receivers read it too) and whose key stays among the
 * secrets (mode 600), and one server certificate for loopback ({@code subjectAltName} {@code IP:127.0.0.1}, {@code
 * DNS:localhost}) that every node of the stack serves: they all listen on 127.0.0.1, so {@code sslmode=verify-full}
 * holds for each. Made once; a later start reuses them.
 */
public final class ClusterCa {
    private static final int CA_DAYS = 3650;
    private static final int SERVER_DAYS = 825;

    private final Path caCert;
    private final Path caKey;
    private final Path serverCert;
    private final Path serverKey;

    /**
     * @param publicDir where the CA's and the server's certificates go (readable by the PostgreSQL OS user)
     * @param secretDir where the keys go
     */
    public ClusterCa(Path publicDir, Path secretDir) {
        this.caCert = publicDir.resolve("cluster-ca.crt");
        this.caKey = secretDir.resolve("cluster-ca.key");
        this.serverCert = publicDir.resolve("loopback-server.crt");
        this.serverKey = secretDir.resolve("loopback-server.key");
    }

    /** The CA's certificate: what clients verify the nodes with ({@code sslrootcert}). */
    public Path caCertificate() {
        return caCert;
    }

    /** The loopback server certificate (PEM) every node serves; the Kafka broker's secure listener serves it too. */
    public Path serverCertificate() {
        return serverCert;
    }

    /** The loopback server certificate's key (PEM, PKCS#8, mode 600). */
    public Path serverKey() {
        return serverKey;
    }

    /** Makes the CA and the server certificate unless both exist. */
    public ClusterCa ensure() {
        if (Files.exists(caCert) && Files.exists(caKey) && Files.exists(serverCert) && Files.exists(serverKey)) {
            return this;
        }
        try {
            Files.createDirectories(caCert.getParent());
            Files.createDirectories(caKey.getParent());
            Path ext = Files.createTempFile(caKey.getParent(), "san", ".ext");
            Path csr = caKey.resolveSibling("loopback-server.csr");
            try {
                Files.writeString(
                        ext,
                        "subjectAltName=IP:127.0.0.1,DNS:localhost\nkeyUsage=digitalSignature,keyEncipherment\n"
                                + "extendedKeyUsage=serverAuth\n");
                openssl(
                        "req",
                        "-x509",
                        "-new",
                        "-nodes",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:prime256v1",
                        "-keyout",
                        caKey.toString(),
                        "-out",
                        caCert.toString(),
                        "-days",
                        Integer.toString(CA_DAYS),
                        "-subj",
                        "/CN=pgops local stack CA",
                        "-addext",
                        "basicConstraints=critical,CA:TRUE",
                        "-addext",
                        "keyUsage=critical,keyCertSign,cRLSign");
                openssl(
                        "req",
                        "-new",
                        "-nodes",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:prime256v1",
                        "-keyout",
                        serverKey.toString(),
                        "-out",
                        csr.toString(),
                        "-subj",
                        "/CN=localhost");
                openssl(
                        "x509",
                        "-req",
                        "-in",
                        csr.toString(),
                        "-CA",
                        caCert.toString(),
                        "-CAkey",
                        caKey.toString(),
                        "-CAcreateserial",
                        "-out",
                        serverCert.toString(),
                        "-days",
                        Integer.toString(SERVER_DAYS),
                        "-extfile",
                        ext.toString());
            } finally {
                Files.deleteIfExists(ext);
                Files.deleteIfExists(csr);
                Files.deleteIfExists(caKey.resolveSibling("cluster-ca.srl"));
                Files.deleteIfExists(caCert.resolveSibling("cluster-ca.srl"));
            }
            Files.setPosixFilePermissions(caKey, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(caCert, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(serverCert, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the stack's CA under " + caCert.getParent(), e);
        }
        return this;
    }

    /**
     * Puts the server certificate and key in a node's data directory ({@code server.crt}, {@code server.key}:
     * PostgreSQL's defaults for {@code ssl_cert_file} and {@code ssl_key_file}), the key mode 600 and both owned by
     * the PostgreSQL OS user, as the server demands.
     */
    public void install(Path dataDir, OsUser owner) {
        try {
            Path crt = dataDir.resolve("server.crt");
            Path key = dataDir.resolve("server.key");
            Files.copy(serverCert, crt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(serverKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(crt, PosixFilePermissions.fromString("rw-r--r--"));
            if (owner.switchNeeded()) {
                Cmd.of("chown", owner.name() + ":", crt.toString(), key.toString())
                        .run();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot put the server certificate in " + dataDir, e);
        }
    }

    private static void openssl(String... args) {
        java.util.List<String> argv = new java.util.ArrayList<>();
        argv.add("openssl");
        argv.addAll(java.util.List.of(args));
        Cmd.of(argv).timeoutSeconds(60).run();
    }
}
