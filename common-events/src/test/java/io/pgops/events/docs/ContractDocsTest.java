package io.pgops.events.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventTypes;
import io.pgops.events.TestFiles;
import io.pgops.events.health.NodeReachable;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.TopologyChanged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ContractDocsTest {
    private static final String WRITE = "pgops.contract.write";
    private static final String HOW_TO_FIX =
            " is stale: run `./mvnw -pl common-events test -Dpgops.contract.write=true` and commit the result";

    @Test
    void contractDocsAreUpToDate() throws IOException {
        Path root = ContractDocs.repoRoot();
        Map<String, String> generated = ContractDocs.generate();
        if (TestFiles.writeRequested(WRITE)) {
            deleteStaleSchemas(root, generated);
            for (Map.Entry<String, String> file : generated.entrySet()) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), UTF_8);
            }
        }
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> file : generated.entrySet()) {
            Path path = root.resolve(file.getKey());
            if (!Files.exists(path) || !Files.readString(path, UTF_8).equals(file.getValue())) {
                stale.add(file.getKey());
            }
        }
        stale.addAll(committedSchemas(root).stream()
                .filter(name -> !generated.containsKey(name))
                .toList());
        if (!stale.isEmpty()) {
            fail(stale.stream().map(name -> name + HOW_TO_FIX).collect(Collectors.joining("\n")));
        }
    }

    @Test
    void readmeCataloguesEveryEventType() throws IOException {
        String readme = Files.readString(ContractDocs.repoRoot().resolve("docs/events/README.md"), UTF_8);
        List<String> missing = EventTypes.all().stream()
                .map(EventTypes::typeOf)
                .filter(type -> !readme.contains("| `" + type + "` |"))
                .toList();
        assertEquals(List.of(), missing, "add a row for each to the catalogue table of docs/events/README.md");
    }

    @Test
    void valueObjectsRenderAsTheScalarsTheySerialiseTo() {
        JsonNode properties =
                new JsonSchemas().schemaOf(PrimaryUnreachable.class).get("properties");

        JsonNode cluster = properties.get("cluster");
        assertEquals("string", cluster.get("type").textValue());
        assertEquals(ClusterId.PATTERN, cluster.get("pattern").textValue());

        JsonNode lsn = properties.get("lastKnownLsn");
        assertEquals(List.of("string", "null"), texts(lsn.get("type")), "a @Nullable Lsn is a string or null");
        assertEquals(Lsn.PATTERN, lsn.get("pattern").textValue());
        assertTrue(Lsn.parse("16/B374D848").format().matches(lsn.get("pattern").textValue()));

        assertEquals(
                "integer", properties.get("consecutiveFailures").get("type").textValue());
        assertEquals("date-time", properties.get("probedAt").get("format").textValue());
    }

    @Test
    void enumsRenderAsStringsListingTheirWireCodes() {
        JsonNode kind = new JsonSchemas()
                .schemaOf(FailoverStarted.class)
                .get("properties")
                .get("kind");
        assertEquals("string", kind.get("type").textValue());
        assertEquals(List.of("failover", "switchover", "manual"), texts(kind.get("enum")));

        JsonNode role =
                new JsonSchemas().schemaOf(TopologyChanged.class).at("/properties/members/items/properties/role");
        assertEquals("string", role.get("type").textValue());
        assertEquals(List.of("primary", "standby", "fenced", "unreachable"), texts(role.get("enum")));

        JsonNode reachable = new JsonSchemas().schemaOf(NodeReachable.class).at("/properties/role");
        assertEquals("string", reachable.get("type").textValue());
        assertEquals(List.of("primary", "standby"), texts(reachable.get("enum")), "only the running roles");
    }

    @Test
    void requiredFieldsAreThoseNotMarkedNullableInComponentOrder() {
        JsonNode schema = new JsonSchemas().schemaOf(NodeUnreachable.class);

        assertEquals(
                List.of("cluster", "node", "host", "port", "consecutiveFailures", "error", "lastSeenAt", "probedAt"),
                schema.get("properties").properties().stream()
                        .map(Map.Entry::getKey)
                        .toList());
        assertEquals(
                Set.of("cluster", "node", "host", "port", "consecutiveFailures", "error", "probedAt"),
                Set.copyOf(texts(schema.get("required"))));
        assertEquals(
                "urn:pgops:schema:io.pgops.health.node-unreachable.v1",
                schema.get("$id").textValue());
    }

    @Test
    void nestedRecordsAreInlinedSoTheSchemaStandsAlone() {
        JsonNode schema = new JsonSchemas().schemaOf(TopologyChanged.class);

        JsonNode member = schema.get("properties").get("members").get("items");
        assertEquals("object", member.get("type").textValue());
        assertEquals("string", member.get("properties").get("name").get("type").textValue());
        assertFalse(schema.has("$defs"), "schemas must not need $defs: they are embedded in the AsyncAPI document");
    }

    @Test
    void asyncApiHasAChannelPerTopicAndAMessagePerEventType() throws IOException {
        JsonNode doc = new AsyncApiDocument(new JsonSchemas()).build();

        assertEquals("3.0.0", doc.get("asyncapi").textValue());
        assertEquals(12, doc.get("channels").size());
        assertEquals(
                EventTypes.all().size(), doc.get("components").get("messages").size());
        assertTrue(doc.get("channels").get("pgops.topology").get("messages").has("TopologyChanged"));
        assertEquals(
                "compact",
                doc.at("/channels/pgops.topology/bindings/kafka/topicConfiguration/cleanup.policy/0")
                        .textValue());
        // the YAML is JSON-equivalent: every string survives a YAML → JSON reading by our own rules
        assertTrue(ContractDocs.generate().get(ContractDocs.ASYNCAPI).contains("asyncapi: \"3.0.0\""));
        assertEquals(
                CloudEventCodec.json().readTree("\"x: y\""),
                CloudEventCodec.json()
                        .readTree(Yaml.write(CloudEventCodec.json().readTree("{\"k\":\"x: y\"}"))
                                .substring(3)
                                .trim()));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.textValue()));
        return texts;
    }

    private static List<String> committedSchemas(Path root) throws IOException {
        Path dir = root.resolve(ContractDocs.SCHEMAS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> ContractDocs.SCHEMAS + "/" + f.getFileName())
                    .sorted()
                    .toList();
        }
    }

    private static void deleteStaleSchemas(Path root, Map<String, String> generated) throws IOException {
        for (String name : committedSchemas(root)) {
            if (!generated.containsKey(name)) {
                Files.delete(root.resolve(name));
            }
        }
    }
}
