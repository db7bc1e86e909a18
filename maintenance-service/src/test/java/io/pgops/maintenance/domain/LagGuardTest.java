package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.maintenance.domain.LagGuard.StandbyLag;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LagGuardTest {
    static final long MB64 = 64L * 1024 * 1024;
    static final Duration S30 = Duration.ofSeconds(30);

    @Test
    void startsWhileEveryStandbyIsWithinBothLimits() {
        assertEquals(
                Optional.empty(),
                LagGuard.waitReason(
                        List.of(
                                new StandbyLag("node2", 0, null),
                                new StandbyLag("node3", MB64, Duration.ofSeconds(30))),
                        MB64,
                        S30));
    }

    @Test
    void waitsForAStandbyThatReplaysMoreBytesBehindThanTheLimitNamingTheFurthest() {
        String why = LagGuard.waitReason(
                        List.of(
                                new StandbyLag("node2", MB64 + 1, null),
                                new StandbyLag("node3", 3L * 1024 * 1024 * 1024, Duration.ofSeconds(2))),
                        MB64,
                        S30)
                .orElseThrow();
        assertEquals(
                "standby node3 replays 3.0 GiB (2000 ms) behind the primary, above the limit of 64.0 MiB or 30 s;"
                        + " maintenance waits until it catches up",
                why);
    }

    @Test
    void waitsForAStandbyWhoseReplayLagIsAboveTheTimeLimitEvenWithFewBytes() {
        assertTrue(LagGuard.waitReason(List.of(new StandbyLag("node2", 8192, Duration.ofSeconds(31))), MB64, S30)
                .orElseThrow()
                .startsWith("standby node2 replays 8.0 KiB (31000 ms)"));
    }

    @Test
    void startsWhenThereIsNoStandby() {
        assertEquals(Optional.empty(), LagGuard.waitReason(List.of(), MB64, S30));
    }
}
