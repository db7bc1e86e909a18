package io.pgops.kit.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryCheckTest {
    @TempDir
    Path dir;

    static Inventory.Node node(int port) {
        return new Inventory.Node() {
            public String host() {
                return "127.0.0.1";
            }

            public int port() {
                return port;
            }

            public Optional<String> roleHint() {
                return Optional.empty();
            }

            public boolean nofailover() {
                return false;
            }

            public int priority() {
                return 1;
            }

            public boolean nosync() {
                return false;
            }

            public Optional<String> agentUrl() {
                return Optional.empty();
            }
        };
    }

    static Inventory.Cluster cluster(Map<String, Inventory.Node> nodes, Path passwordFile) {
        return cluster(nodes, passwordFile, "prefer", null);
    }

    static Inventory.Cluster cluster(
            Map<String, Inventory.Node> nodes, Path passwordFile, String sslmode, Path rootCert) {
        return new Inventory.Cluster() {
            public Map<String, Inventory.Node> nodes() {
                return nodes;
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
                return Optional.ofNullable(rootCert).map(Path::toString);
            }

            public Inventory.Credentials credentials() {
                return new Inventory.Credentials() {
                    public String username() {
                        return "pgops";
                    }

                    public String passwordFile() {
                        return passwordFile.toString();
                    }
                };
            }
        };
    }

    @Test
    void aWellFormedInventoryHasNoProblems() throws IOException {
        Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
        assertEquals(List.of(), InventoryCheck.problems(Map.of("prod-eu", cluster(Map.of("db1", node(5432)), pw))));
    }

    @Test
    void namesThatCouldInjectSqlOrPathsAreRefusedAndEveryProblemIsListed() {
        List<String> problems = InventoryCheck.problems(
                Map.of("Prod", cluster(Map.of("db1'; DROP TABLE x; --", node(70000)), dir.resolve("missing"))));
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("'Prod'")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("DROP TABLE")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("70000")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("not readable")), problems.toString());
    }

    @Test
    void theMessageNamesThePasswordFileNeverItsContent() throws IOException {
        Path pw = Files.writeString(dir.resolve("pw"), "s3cret-value\n");
        List<String> problems = InventoryCheck.problems(Map.of("x", cluster(Map.of("BAD", node(1)), pw)));
        assertTrue(problems.stream().noneMatch(p -> p.contains("s3cret-value")));
    }

    @Test
    void anUnknownSslmodeAndAVerifyingOneWithoutItsCaAreRefused() throws IOException {
        Path pw = Files.writeString(dir.resolve("pw"), "secret\n");
        Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Map<String, Inventory.Node> nodes = Map.of("db1", node(5432));
        assertEquals(
                List.of(), InventoryCheck.problems(Map.of("a", cluster(nodes, pw, "verify-full", ca))), "verify-full");
        List<String> typo = InventoryCheck.problems(Map.of("a", cluster(nodes, pw, "verify_full", ca)));
        assertTrue(
                typo.getFirst().contains("one of disable, allow, prefer, require, verify-ca, verify-full"),
                typo.toString());
        List<String> noCa = InventoryCheck.problems(Map.of("a", cluster(nodes, pw, "verify-ca", null)));
        assertTrue(noCa.getFirst().contains("needs pgops.clusters.a.sslrootcert"), noCa.toString());
        List<String> missing = InventoryCheck.problems(Map.of("a", cluster(nodes, pw, "require", dir.resolve("none"))));
        assertTrue(missing.getFirst().contains("cannot be read"), missing.toString());
    }
}
