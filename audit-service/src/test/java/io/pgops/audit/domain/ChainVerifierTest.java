package io.pgops.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.audit.Samples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
    static final Instant T0 = Instant.parse("2026-11-25T02:15:00.250Z");

    @Test
    void anUntouchedChainIsIntactUpToItsHead() throws Exception {
        List<StoredRow> rows = chain();
        Verification v = walk(HashChain.GENESIS, rows);
        assertTrue(v.intact());
        assertEquals(5, v.checked());
        assertEquals(5, v.last().seq());
    }

    @Test
    void anAlteredEventIsNamedAsTheFirstBrokenLink() throws Exception {
        List<StoredRow> rows = chain();
        StoredRow third = rows.get(2);
        String text = new String(third.columns().bytes(), StandardCharsets.UTF_8).replace("db1", "db9");
        rows.set(2, withBytes(third, text.getBytes(StandardCharsets.UTF_8)));

        Verification v = walk(HashChain.GENESIS, rows);
        assertFalse(v.intact());
        assertEquals(3, v.firstBroken().seq());
        assertEquals(third.columns().eventId(), v.firstBroken().eventId());
        assertTrue(
                v.firstBroken().reason().contains("hash does not match"),
                v.firstBroken().reason());
        assertEquals(2, v.checked());
    }

    @Test
    void aDeletedRowIsNamedAsMissing() throws Exception {
        List<StoredRow> rows = chain();
        rows.remove(1);
        Verification v = walk(HashChain.GENESIS, rows);
        assertEquals(2, v.firstBroken().seq());
        assertNull(v.firstBroken().eventId());
        assertTrue(
                v.firstBroken().reason().contains("row 2 is missing"),
                v.firstBroken().reason());
    }

    @Test
    void aSearchColumnThatNoLongerMatchesTheHashedEventIsNamed() throws Exception {
        List<StoredRow> rows = chain();
        StoredRow fourth = rows.get(3);
        AuditEntry c = fourth.columns();
        AuditEntry moved = new AuditEntry(
                c.eventId(),
                c.type(),
                "other",
                c.node(),
                c.source(),
                c.time(),
                c.correlationId(),
                c.principal(),
                c.bytes());
        rows.set(3, new StoredRow(fourth.seq(), moved, fourth.hash()));

        Verification v = walk(HashChain.GENESIS, rows);
        assertEquals(4, v.firstBroken().seq());
        assertEquals(
                "column cluster_id says other but the hashed event says it",
                v.firstBroken().reason());
    }

    @Test
    void aRangeIsCheckedFromTheStoredHashOfTheRowBeforeIt() throws Exception {
        List<StoredRow> rows = chain();
        Verification v = walk(new ChainLink(2, rows.get(1).hash()), rows.subList(2, 5));
        assertTrue(v.intact());
        assertEquals(3, v.from());
        assertEquals(3, v.checked());
    }

    static Verification walk(ChainLink start, List<StoredRow> rows) {
        ChainVerifier verifier = new ChainVerifier(start);
        for (StoredRow r : rows) {
            if (!verifier.accept(r)) {
                break;
            }
        }
        return verifier.result();
    }

    static StoredRow withBytes(StoredRow r, byte[] bytes) {
        AuditEntry c = r.columns();
        return new StoredRow(
                r.seq(),
                new AuditEntry(
                        c.eventId(),
                        c.type(),
                        c.cluster(),
                        c.node(),
                        c.source(),
                        c.time(),
                        c.correlationId(),
                        c.principal(),
                        bytes),
                r.hash());
    }

    static List<StoredRow> chain() throws Exception {
        AppendPlan plan = AppendPlan.of(HashChain.GENESIS, HashChainTest.entries(Samples.failover("it", T0)), Set.of());
        List<StoredRow> rows = new ArrayList<>();
        for (ChainedEntry e : plan.rows()) {
            rows.add(new StoredRow(e.seq(), e.entry(), e.hash()));
        }
        return rows;
    }
}
