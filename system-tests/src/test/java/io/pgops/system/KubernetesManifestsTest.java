package io.pgops.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The manifests under {@code deploy/kubernetes/}, validated offline (never applied): each document is read
 * into the Kubernetes API's own model (fabric8's generated classes) where a field the API does not know is
 * an error, not silently kept; then pgops' rules: every workload has readiness and liveness probes on
 * {@code /q/health/*} (or the server's own check), resource requests, no secret value in an environment
 * variable, and a NetworkPolicy covers the PostgreSQL nodes.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of(System.getProperty("pgops.repo.dir", ".."))
            .toAbsolutePath()
            .normalize()
            .resolve("deploy/kubernetes");
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|private_?key).*");

    private final ObjectMapper model = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void everyDocumentIsAKnownKindWithOnlyFieldsTheApiKnows() throws IOException {
        List<HasMetadata> all = manifests();
        assertTrue(all.size() >= 15, "only " + all.size() + " objects");
        for (HasMetadata o : all) {
            assertEquals(
                    "pgops",
                    o instanceof Namespace
                            ? o.getMetadata().getName()
                            : o.getMetadata().getNamespace(),
                    o.getKind() + " " + o.getMetadata().getName() + " is outside the pgops namespace");
        }
    }

    @Test
    void everyWorkloadHasProbesResourceRequestsAndNoSecretValueInItsEnvironment() throws IOException {
        int workloads = 0;
        for (HasMetadata o : manifests()) {
            PodSpec pod = o instanceof Deployment d
                    ? d.getSpec().getTemplate().getSpec()
                    : o instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec() : null;
            if (pod == null) {
                continue;
            }
            workloads++;
            for (Container c : pod.getContainers()) {
                String who = o.getKind() + " " + o.getMetadata().getName() + "/" + c.getName();
                assertNotNull(c.getReadinessProbe(), who + " has no readiness probe");
                assertNotNull(c.getLivenessProbe(), who + " has no liveness probe");
                assertNotNull(c.getResources().getRequests(), who + " requests no resources");
                assertTrue(c.getResources().getRequests().containsKey("memory"), who + " requests no memory");
                if (c.getImage().startsWith("pgops/")) {
                    assertTrue(c.getReadinessProbe().getHttpGet().getPath().startsWith("/q/health/"), who);
                    assertTrue(c.getLivenessProbe().getHttpGet().getPath().startsWith("/q/health/"), who);
                }
                for (var e : c.getEnv() == null ? List.<io.fabric8.kubernetes.api.model.EnvVar>of() : c.getEnv()) {
                    if (SECRET_NAME.matcher(e.getName()).matches()) {
                        assertTrue(
                                e.getName().endsWith("FILE") && e.getValue().startsWith("/run/secrets/"),
                                who + ": " + e.getName() + " must name a mounted secret file, not hold a value");
                    }
                }
            }
        }
        assertEquals(10, workloads, "kafka, pgops-db, pg-node, the five services, haproxy and pgbouncer");
    }

    @Test
    void aNetworkPolicyGuardsThePostgresqlNodes() throws IOException {
        assertTrue(manifests().stream()
                .filter(o -> o instanceof NetworkPolicy)
                .map(o -> (NetworkPolicy) o)
                .anyMatch(p -> "pg-node"
                        .equals(p.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))));
    }

    private List<HasMetadata> manifests() throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var files = Files.list(DIR)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(f.toFile())) {
                    for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
                        if (doc == null || doc.isEmpty()) {
                            continue;
                        }
                        String kind = doc.path("apiVersion").asText() + "/"
                                + doc.path("kind").asText();
                        Class<? extends HasMetadata> type = KINDS.get(kind);
                        assertNotNull(type, f.getFileName() + ": a kind this check does not know: " + kind);
                        HasMetadata o = model.treeToValue(doc, type);
                        List<String> unknown = new ArrayList<>();
                        unknownFields(
                                o, o.getKind() + " " + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
                        assertTrue(unknown.isEmpty(), f.getFileName() + ": fields the API does not know: " + unknown);
                        out.add(o);
                    }
                }
            }
        }
        assertFalse(out.isEmpty(), "no manifest under " + DIR);
        return out;
    }

    /** The model keeps an unknown field in {@code additionalProperties} instead of failing: each one is named. */
    private static void unknownFields(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
        if (o == null
                || seen.put(o, Boolean.TRUE) != null
                || !o.getClass().getName().startsWith("io.fabric8.")) {
            if (o instanceof Collection<?> c) {
                int i = 0;
                for (Object e : c) {
                    unknownFields(e, path + "[" + i++ + "]", out, seen);
                }
            } else if (o instanceof Map<?, ?> m && !path.endsWith("additionalProperties")) {
                m.forEach((k, v) -> unknownFields(v, path + "." + k, out, seen));
            }
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        out.add(path + ": " + extra.keySet());
                    }
                } else if (v != null && !Set.of("getClass").contains(m.getName())) {
                    unknownFields(v, path + "." + m.getName().substring(3), out, seen);
                }
            } catch (ReflectiveOperationException e) {
                // a getter that cannot be called has nothing to say about unknown fields
            }
        }
    }
}
