package io.pgops.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files, checked offline with the tools that own their formats: {@code docker-compose config}
 * (Debian's docker-compose parses without an engine), {@code promtool check rules|config} and {@code promtool
 * test rules}, and the rules pgops sets for itself: every pgops container has a health check, a restart
 * policy and dependencies with conditions, and no secret is written inline anywhere in the compose file.
 */
class DeployFilesTest {
    private static final Path REPO =
            Path.of(System.getProperty("pgops.repo.dir", "..")).toAbsolutePath().normalize();
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|private_?key).*");

    @Test
    void theComposeFileParsesAndEveryPgopsContainerHasAHealthCheckARestartPolicyAndConditions() throws IOException {
        JsonNode services = composeConfig().get("services");
        List<String> pgops = new ArrayList<>();
        services.fields().forEachRemaining(e -> {
            JsonNode s = e.getValue();
            boolean ours = s.path("image").asText().startsWith("pgops/");
            if (ours) {
                pgops.add(e.getKey());
                assertTrue(s.path("healthcheck").path("test").size() > 0, e.getKey() + " has no health check");
                assertFalse(s.path("restart").asText().isBlank(), e.getKey() + " has no restart policy");
                assertTrue(s.path("depends_on").size() > 0, e.getKey() + " depends on nothing");
                s.path("depends_on")
                        .fields()
                        .forEachRemaining(d -> assertEquals(
                                "service_healthy",
                                d.getValue().path("condition").asText(),
                                e.getKey() + " starts before " + d.getKey() + " is healthy"));
            }
        });
        assertEquals(
                Set.of(
                        "audit-service",
                        "health-service",
                        "replication-service",
                        "backup-service",
                        "maintenance-service",
                        "pg-node1",
                        "pg-node2",
                        "pg-node3"),
                new HashSet<>(pgops));
        for (String other : List.of("kafka", "pgops-db", "haproxy", "pgbouncer", "prometheus", "grafana")) {
            assertTrue(services.has(other), "the compose file lacks " + other);
            assertTrue(services.get(other).path("healthcheck").path("test").size() > 0, other + " has no health check");
        }
    }

    @Test
    void noSecretIsWrittenInlineInTheComposeFile() throws IOException {
        JsonNode services = composeConfig().get("services");
        services.fields()
                .forEachRemaining(e -> e.getValue().path("environment").fields().forEachRemaining(v -> {
                    if (SECRET_NAME.matcher(v.getKey()).matches()) {
                        assertTrue(
                                v.getKey().endsWith("FILE")
                                        && v.getValue().asText().startsWith("/run/secrets/"),
                                e.getKey() + ": " + v.getKey() + " must name a secret file, not hold a value");
                    }
                }));
        composeConfig()
                .get("secrets")
                .fields()
                .forEachRemaining(s -> assertTrue(
                        s.getValue().has("file") || s.getValue().has("external"),
                        "secret " + s.getKey() + " is neither a file nor external"));
    }

    @Test
    void theAlertRulesAndThePrometheusConfigsPassPromtoolAndTheRuleTests() {
        Path prom = REPO.resolve("deploy/prometheus");
        run(prom, PromtoolCheck.promtool().toString(), "check", "rules", "pgops-alerts.yml");
        run(prom, PromtoolCheck.promtool().toString(), "test", "rules", "pgops-alerts.test.yml");
        // syntax only: the scrape token (bin/pgops token) is not in the repository
        run(prom, PromtoolCheck.promtool().toString(), "check", "config", "--syntax-only", "prometheus.yml");
        // the compose copy names its rule file at the container's path
        run(
                REPO,
                PromtoolCheck.promtool().toString(),
                "check",
                "config",
                "--syntax-only",
                "deploy/compose/prometheus.yml");
    }

    @Test
    void everyDashboardPanelQueriesPrometheusAndTheUidsAreUnique() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> uids = new HashSet<>();
        try (var files = Files.list(REPO.resolve("deploy/grafana"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode d = json.readTree(f.toFile());
                assertTrue(uids.add(d.path("uid").asText()), "uid used twice: " + f);
                assertTrue(d.path("panels").size() > 0, f + " has no panels");
                for (JsonNode p : d.path("panels")) {
                    assertTrue(
                            p.path("targets").size() > 0,
                            f + ": panel '" + p.path("title").asText() + "' queries nothing");
                    for (JsonNode t : p.path("targets")) {
                        assertFalse(t.path("expr").asText().isBlank(), f + ": an empty query in " + p.path("title"));
                    }
                }
            }
        }
        assertFalse(uids.isEmpty(), "no dashboard under deploy/grafana");
    }

    @Test
    void theComposeSecretsArePrivateAndPrometheusTokenIsSignedByTheKeyTheServicesVerifyWith() throws Exception {
        Path dir = Files.createTempDirectory("pgops-compose-secrets");
        try {
            ProcessBuilder pb = new ProcessBuilder("sh", "deploy/compose/make-secrets.sh").directory(REPO.toFile());
            pb.environment().put("PGOPS_SECRETS_DIR", dir.toString());
            Process p = pb.redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), said);
            for (Path f : Files.list(dir).toList()) {
                assertEquals(
                        "rw-------",
                        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f)),
                        f.toString());
            }
            String[] jwt = Files.readString(dir.resolve("prometheus_token")).split("\\.");
            assertEquals(3, jwt.length);
            String pem = Files.readString(dir.resolve("jwt_verify_pem"))
                    .replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
            java.security.PublicKey key = java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(
                            java.util.Base64.getDecoder().decode(pem)));
            java.security.Signature rs256 = java.security.Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            assertTrue(rs256.verify(java.util.Base64.getUrlDecoder().decode(jwt[2])), "the token's signature");
            JsonNode claims =
                    new ObjectMapper().readTree(java.util.Base64.getUrlDecoder().decode(jwt[1]));
            assertEquals("pgops", claims.path("iss").asText());
            assertEquals("pgops-viewer", claims.path("groups").path(0).asText());
            assertTrue(
                    claims.path("exp").asLong() > System.currentTimeMillis() / 1000 + 300 * 24 * 3600L,
                    claims.toString());
        } finally {
            io.pgops.pgtools.Cmd.of("rm", "-rf", dir.toString()).tryRun();
        }
    }

    @Test
    void theImagesEntryPointsAreValidShell() {
        run(REPO, "bash", "-n", "deploy/docker/pgops-node.sh");
        run(REPO, "sh", "-n", "deploy/docker/pgops-java.sh");
        run(REPO, "sh", "-n", "deploy/compose/make-secrets.sh");
    }

    @Test
    void theFrontDoorsHaproxyConfigsPassHaproxysOwnCheck() throws IOException {
        run(REPO, "/usr/sbin/haproxy", "-c", "-f", "deploy/compose/haproxy.cfg");
        JsonNode frontDoor = new ObjectMapper(new YAMLFactory())
                .readTree(REPO.resolve("deploy/kubernetes/40-front-door.yaml").toFile());
        Path cfg = Files.createTempFile("pgops-k8s-haproxy", ".cfg");
        try {
            Files.writeString(cfg, frontDoor.path("data").path("haproxy.cfg").asText());
            run(REPO, "/usr/sbin/haproxy", "-c", "-f", cfg.toString());
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    private static JsonNode composeConfig() throws IOException {
        Path compose = Path.of("/usr/bin/docker-compose");
        assertTrue(Files.isExecutable(compose), "docker-compose is missing: apt-get install -y docker-compose");
        String resolved = run(REPO, compose.toString(), "--env-file", ".env.example", "config");
        return new ObjectMapper(new YAMLFactory()).readTree(resolved);
    }

    /** Runs a command in {@code dir}, asserts it exits 0 and returns its standard output. */
    private static String run(Path dir, String... argv) {
        try {
            Process p = new ProcessBuilder(argv)
                    .directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            var err = p.getErrorStream();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String said = new String(err.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish in 60 s");
            }
            assertEquals(0, p.exitValue(), String.join(" ", argv) + ":\n" + out + said);
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
