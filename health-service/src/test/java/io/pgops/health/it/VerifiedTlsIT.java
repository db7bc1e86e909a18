package io.pgops.health.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.kit.inventory.Inventory;
import io.pgops.kit.inventory.PgTls;
import io.pgops.kit.inventory.PgTlsOptions;
import io.pgops.stack.postgres.ClusterCa;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, PostgreSQL connections with {@code sslmode} up to {@code verify-full}: the test kit's nodes serve TLS
 * with its CA, and the services' client ({@link PgTlsOptions}) connects under the inventory's {@code sslmode}:
 * verified against the right CA the session is encrypted ({@code pg_stat_ssl}); against another CA it is refused
 * before any password is sent; libpq's tools under {@link PgTls#libpqEnv} likewise.
 */
class VerifiedTlsIT {
    private static final Vertx VERTX = Vertx.vertx();

    @TempDir
    static Path dir;

    @AfterAll
    static void close() {
        VERTX.close();
    }

    @Test
    void verifyFullAgainstTheStacksCaIsEncryptedAndAnotherCaIsRefused() throws Exception {
        TestStack stack = TestStack.get();
        PgNode node = stack.cluster().getFirst();
        Path stackCa = stack.caCertificate();

        assertEquals(
                "t", ssl(connect(node, "127.0.0.1", cluster("verify-full", stackCa))), "verify-full, the stack's CA");
        assertEquals("t", ssl(connect(node, "localhost", cluster("verify-full", stackCa))), "by its DNS name");
        assertEquals("t", ssl(connect(node, "127.0.0.1", cluster("require", null))), "require: encrypted, unverified");
        assertEquals("f", ssl(connect(node, "127.0.0.1", cluster("disable", null))), "disable: in the clear");

        Path otherCa = new ClusterCa(dir.resolve("other"), dir.resolve("other-secrets"))
                .ensure()
                .caCertificate();
        Exception wrongCa = assertThrows(
                Exception.class, () -> connect(node, "127.0.0.1", cluster("verify-full", otherCa)), "another CA");
        assertTrue(chain(wrongCa).contains("SSL handshake failed"), chain(wrongCa));

        // PostgreSQL's own tools under the same settings, through libpq's environment
        assertEquals("t", tool(node, cluster("verify-full", stackCa)).strip(), "psql verify-full");
        String refused = tool(node, cluster("verify-full", otherCa));
        assertTrue(refused.contains("certificate verify failed"), refused);
    }

    private static Inventory.Cluster cluster(String sslmode, Path ca) {
        Path pw = TestStack.get().secrets().file(PgTopology.PGOPS_USER);
        return new Inventory.Cluster() {
            public Map<String, Inventory.Node> nodes() {
                return Map.of();
            }

            public String database() {
                return "postgres";
            }

            public Optional<String> synchronousMode() {
                return Optional.empty();
            }

            public String sslmode() {
                return sslmode;
            }

            public Optional<String> sslrootcert() {
                return Optional.ofNullable(ca).map(Path::toString);
            }

            public Inventory.Credentials credentials() {
                return new Inventory.Credentials() {
                    public String username() {
                        return PgTopology.PGOPS_USER;
                    }

                    public String passwordFile() {
                        return pw.toString();
                    }
                };
            }
        };
    }

    private static PgConnection connect(PgNode node, String host, Inventory.Cluster c) throws Exception {
        PgTls.check("it", c);
        PgConnectOptions o = new PgConnectOptions()
                .setHost(host)
                .setPort(node.port())
                .setDatabase("postgres")
                .setUser(PgTopology.PGOPS_USER)
                .setPassword(Files.readString(Path.of(c.credentials().passwordFile()))
                        .strip())
                .setConnectTimeout(5000);
        return PgConnection.connect(VERTX, PgTlsOptions.apply(o, c))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    /** Whether the connection's own session is encrypted, by the server's word; closes it. */
    private static String ssl(PgConnection c) throws Exception {
        try {
            return c.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                            .execute()
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS)
                            .iterator()
                            .next()
                            .getBoolean(0)
                    ? "t"
                    : "f";
        } finally {
            c.close();
        }
    }

    /** psql under the cluster's libpq environment: whether its session is encrypted, or what libpq said. */
    private static String tool(PgNode node, Inventory.Cluster c) throws Exception {
        io.pgops.pgtools.PgBinaries bin = io.pgops.pgtools.PgBinaries.locate();
        io.pgops.pgtools.Cmd.Result r = io.pgops.pgtools.Cmd.of(
                        bin.tool("psql"),
                        "-X",
                        "-A",
                        "-t",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        Integer.toString(node.port()),
                        "-U",
                        PgTopology.PGOPS_USER,
                        "-d",
                        "postgres",
                        "-c",
                        "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                .env(PgTls.libpqEnv(c))
                .env(
                        "PGPASSWORD",
                        Files.readString(Path.of(c.credentials().passwordFile()))
                                .strip())
                .env("PGCONNECT_TIMEOUT", "5")
                .timeoutSeconds(Duration.ofSeconds(30).toSeconds())
                .tryRun();
        return r.output();
    }

    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            b.append(x.getClass().getSimpleName())
                    .append(": ")
                    .append(x.getMessage())
                    .append(" / ");
        }
        return b.toString();
    }
}
