package io.pgops.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IncidentTest {
    static final Instant T0 = Instant.parse("2026-11-25T02:15:00Z");

    @Test
    void stepsAreToldInTheOrderTheyHappenedWithTheTimeSinceStartAndSinceThePreviousStep() {
        Incident i = Incident.of(
                "flow-1",
                List.of(
                        fact(12, "io.pgops.replication.node-promoted.v1", T0.plusMillis(2500)),
                        fact(10, "io.pgops.health.primary-unreachable.v1", T0),
                        fact(11, "io.pgops.replication.failover-started.v1", T0.plusMillis(500))));

        assertEquals(
                List.of(10L, 11L, 12L),
                i.steps().stream().map(s -> s.fact().seq()).toList());
        assertEquals(
                List.of(0L, 500L, 2500L),
                i.steps().stream().map(Incident.Step::sinceStartMillis).toList());
        assertEquals(
                List.of(0L, 500L, 2000L),
                i.steps().stream().map(Incident.Step::sincePreviousMillis).toList());
        assertEquals(2500, i.durationMillis());
        assertEquals("it", i.cluster());
    }

    @Test
    void stepsAtTheSameInstantKeepTheirRecordingOrder() {
        Incident i = Incident.of("flow-2", List.of(fact(8, "b", T0), fact(7, "a", T0)));
        assertEquals(
                List.of("a", "b"), i.steps().stream().map(s -> s.fact().type()).toList());
    }

    static Incident.Fact fact(long seq, String type, Instant at) {
        return new Incident.Fact(seq, type, "it", "db1", "/pgops/test", null, at, Map.of());
    }
}
