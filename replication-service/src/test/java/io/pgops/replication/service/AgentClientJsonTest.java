package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.kit.rest.StrictJson;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.RejoinOutcome;
import io.pgops.replication.rest.AgentApi;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The coordinator reads what agents write through the application's strict mapper, made tolerant of versions;
 * the agent reads the coordinator's commands strictly.
 */
class AgentClientJsonTest {
    private final ObjectMapper strict = StrictJson.apply(new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)); // as Quarkus configures it
    private final ObjectMapper client = AgentClient.tolerant(strict);

    private static final AgentReport STANDBY = new AgentReport(
            NodeName.of("node2"),
            true,
            true,
            true,
            Timeline.of(3),
            null,
            Lsn.parse("0/3000060"),
            Lsn.parse("0/3000000"),
            "streaming",
            5432,
            "",
            List.of(new AgentReport.Replica("node3", "streaming", "async", Lsn.parse("0/3000000"), null)),
            List.of("node3"),
            Term.of(7),
            null,
            true);

    @Test
    void readsAReportAsAnAgentWritesIt() throws Exception {
        assertEquals(STANDBY, client.readValue(strict.writeValueAsBytes(STANDBY), AgentReport.class));
    }

    @Test
    void readsAReportOfANewerAgentWithAFieldItDoesNotKnowAndOneMissing() throws Exception {
        ObjectNode report = strict.valueToTree(STANDBY);
        report.put("walSegmentSize", 16777216);
        report.remove("readOnly");
        AgentReport read = client.readValue(strict.writeValueAsBytes(report), AgentReport.class);
        assertEquals(STANDBY.replayLsn(), read.replayLsn());
        assertFalse(read.readOnly());
    }

    @Test
    void stillRefusesAReportWhoseTypesAreWrong() throws Exception {
        ObjectNode report = strict.valueToTree(STANDBY);
        report.put("running", "true");
        assertThrows(
                MismatchedInputException.class,
                () -> client.readValue(strict.writeValueAsBytes(report), AgentReport.class));
    }

    @Test
    void readsThePromotionAndRejoinAnswersOfAnAgent() throws Exception {
        AgentNode.Promotion promotion =
                new AgentNode.Promotion(Timeline.of(3), Timeline.of(4), Lsn.parse("0/5000028"), 812);
        AgentNode.Promotion read = client.readValue(strict.writeValueAsBytes(promotion), AgentNode.Promotion.class);
        assertEquals(promotion, read);
        assertEquals(new AgentClient.Promotion(3, 4, "0/5000028", 812), AgentClient.promotion(read));
        assertEquals(
                new AgentClient.Promotion(0, 4, null, 0),
                AgentClient.promotion(client.readValue("{\"newTimeline\":4}", AgentNode.Promotion.class)),
                "what an older agent lacks reads as 0 or null");
        RejoinOutcome rejoin = new RejoinOutcome("rewind", 2300, "pg_rewind to node1's history");
        assertEquals(rejoin, client.readValue(strict.writeValueAsBytes(rejoin), RejoinOutcome.class));
    }

    @Test
    void aFenceAnswerNamesItsCheckpointOnlyWhenTheNodeShutDownCleanly() throws Exception {
        JsonNode unclean = strict.valueToTree(new AgentApi.Fenced("immediate", "in production", null));
        assertEquals(List.of("mode", "clusterState"), fieldNames(unclean));
        AgentApi.Fenced clean = new AgentApi.Fenced("fast", "shut down", Lsn.parse("0/3000028"));
        JsonNode written = strict.valueToTree(clean);
        assertEquals("0/3000028", written.path("checkpointLsn").asText());
        assertEquals(clean, client.treeToValue(written, AgentApi.Fenced.class));
    }

    @Test
    void aCommandIsWrittenWithoutTheFieldsItLacksAndTheAgentReadsItStrictly() throws Exception {
        AgentApi.Command c = new AgentApi.Command(
                7L, "op-00000001", Instant.parse("2026-12-05T12:00:00Z"), "node2", null, null, null);
        ObjectNode written = strict.valueToTree(c);
        assertEquals(List.of("term", "operationId", "deadline", "primary"), fieldNames(written));
        assertEquals(c, strict.treeToValue(written, AgentApi.Command.class));
        written.put("taget", "node3");
        assertThrows(UnrecognizedPropertyException.class, () -> strict.treeToValue(written, AgentApi.Command.class));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
