package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DumpRetentionTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    static DumpEntry dump(String database, String scope, int hoursAgo) {
        Instant at = NOW.minus(Duration.ofHours(hoursAgo));
        return new DumpEntry(
                DumpEntry.idFor(at, NodeName.of("node1"), scope),
                ClusterId.of("main"),
                database,
                scope,
                NodeName.of("node1"),
                "127.0.0.1:5432",
                scope + ".dump",
                1000,
                10,
                null,
                "c-" + database + hoursAgo,
                null,
                100,
                at.minusSeconds(1),
                at,
                null);
    }

    static List<String> gone(List<DumpRetention.Verdict> vs) {
        return vs.stream()
                .filter(v -> !v.keep())
                .map(v -> v.dump().database() + "@"
                        + Duration.between(v.dump().completedAt(), NOW).toHours())
                .toList();
    }

    @Test
    void theNewestDumpsOfEachDatabaseStayByCountAndTheOlderOnesGo() {
        List<DumpEntry> dumps = new ArrayList<>();
        for (int h : new int[] {0, 6, 12, 18, 24}) {
            dumps.add(dump("shop", DumpEntry.FULL, h));
        }
        dumps.add(dump("crm", DumpEntry.FULL, 30));
        List<DumpRetention.Verdict> vs = DumpRetention.decide(dumps, 2, Optional.empty(), NOW);
        assertEquals(List.of("shop@24", "shop@18", "shop@12"), gone(vs));
        assertEquals(6, vs.size());
        assertEquals("crm", vs.getFirst().dump().database(), "oldest first");
        assertEquals(true, vs.getFirst().keep(), "a database's only dump stays, however old");
    }

    @Test
    void aDumpYoungerThanTheAgeLimitStaysThoughItIsBeyondTheCount() {
        List<DumpEntry> dumps = new ArrayList<>();
        for (int h : new int[] {0, 6, 12, 18, 30}) {
            dumps.add(dump("shop", DumpEntry.FULL, h));
        }
        assertEquals(List.of("shop@30"), gone(DumpRetention.decide(dumps, 1, Optional.of(Duration.ofHours(24)), NOW)));
    }

    @Test
    void schemaOnlyDumpsTheMigrationsWayBackAreNeverTouched() {
        List<DumpEntry> dumps = List.of(
                dump("shop", DumpEntry.SCHEMA, 500),
                dump("shop", DumpEntry.SCHEMA, 400),
                dump("shop", DumpEntry.FULL, 1));
        List<DumpRetention.Verdict> vs = DumpRetention.decide(dumps, 1, Optional.empty(), NOW);
        assertEquals(1, vs.size());
        assertEquals(List.of(), gone(vs));
    }

    @Test
    void keepingNoDumpIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> DumpRetention.decide(List.of(), 0, Optional.empty(), NOW));
    }
}
