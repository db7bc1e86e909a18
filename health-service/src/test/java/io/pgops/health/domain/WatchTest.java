package io.pgops.health.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WatchTest {
    private Instant now = Instant.parse("2026-11-25T03:00:00Z");
    private final Watch watch = new Watch(new Debounce(3, 2));

    private Watch.Change fail() {
        now = now.plusSeconds(5);
        return watch.observe(true, now).change();
    }

    private Watch.Change pass() {
        now = now.plusSeconds(5);
        return watch.observe(false, now).change();
    }

    @Test
    void aFlappingCheckFailPassFailRaisesNothing() {
        pass();
        for (int i = 0; i < 10; i++) {
            assertEquals(Watch.Change.NONE, fail());
            assertEquals(Watch.Change.NONE, fail());
            assertEquals(Watch.Change.NONE, pass());
        }
        assertEquals(Watch.State.PASSING, watch.state());
    }

    @Test
    void theThirdFailureInARowBreachesOnceAndALongBreachStaysOneEvent() {
        pass();
        assertEquals(Watch.Change.NONE, fail());
        assertEquals(Watch.Change.NONE, fail());
        assertEquals(Watch.Change.BREACHED, fail());
        for (int i = 0; i < 50; i++) {
            assertEquals(Watch.Change.NONE, fail());
        }
    }

    @Test
    void aCheckFailingFromTheStartIsStillABreach() {
        fail();
        fail();
        assertEquals(Watch.Change.BREACHED, fail());
    }

    @Test
    void recoveryNeedsTwoPassesInARowAndCarriesTheBreachsCorrelationId() {
        fail();
        fail();
        fail();
        String incident = watch.correlationId();
        Instant breachedAt = watch.breachedAt();
        assertNotNull(incident);
        assertEquals(Watch.Change.NONE, pass());
        assertEquals(Watch.Change.NONE, fail(), "hysteresis: one pass then a failure stays breached");
        assertEquals(Watch.Change.NONE, pass());
        now = now.plusSeconds(5);
        Watch.Outcome o = watch.observe(false, now);
        assertEquals(Watch.Change.RECOVERED, o.change());
        assertEquals(incident, o.correlationId());
        assertEquals(breachedAt, o.breachedAt());
    }

    @Test
    void theNextBreachOpensANewIncident() {
        fail();
        fail();
        fail();
        String first = watch.correlationId();
        pass();
        pass();
        fail();
        fail();
        now = now.plusSeconds(5);
        String second = watch.observe(true, now).correlationId();
        assertNotNull(second);
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
    }

    @Test
    void closingAnOpenBreachRecoversItAndClosingNothingRaisesNothing() {
        assertEquals(Watch.Change.NONE, watch.close().change());
        fail();
        fail();
        fail();
        assertEquals(Watch.Change.RECOVERED, watch.close().change());
        assertEquals(Watch.State.PASSING, watch.state());
    }
}
