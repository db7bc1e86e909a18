package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.kit.rest.StrictJson;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.RejoinOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coordinator reads what agents write through the application's strict mapper, made tolerant of versions. */
class AgentClientJsonTest {
    private final ObjectMapper strict = StrictJson.apply(new ObjectMapper().registerModule(new JavaTimeModule()));
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
        JsonNode promotion = strict.readTree(strict.writeValueAsBytes(
                new AgentNode.Promotion(Timeline.of(3), Timeline.of(4), Lsn.parse("0/5000028"), 812)));
        assertEquals(
                new AgentClient.Promotion(3, 4, "0/5000028", 812),
                client.convertValue(promotion, AgentClient.Promotion.class));
        RejoinOutcome rejoin = new RejoinOutcome("rewind", 2300, "pg_rewind to node1's history");
        assertEquals(
                rejoin, client.convertValue(strict.readTree(strict.writeValueAsBytes(rejoin)), RejoinOutcome.class));
    }
}
