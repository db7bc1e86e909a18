package io.pgops.audit.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.audit.InMemoryAuditResource;
import io.pgops.audit.Samples;
import io.pgops.audit.Trail;
import io.pgops.audit.domain.AuditEntry;
import io.pgops.audit.domain.ChainLink;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.RestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's usual append is one statement from the head it remembers; these prove that the database
 * keeps the chain whole when that head is wrong.
 */
@QuarkusTest
@QuarkusTestResource(InMemoryAuditResource.class)
class AuditWriterTest {

    @BeforeEach
    void sendATokenOfViewer() {
        RestAuth.as(Tokens.VIEWER);
    }

    @AfterEach
    void sendNoToken() {
        RestAuth.anonymous();
    }

    static final Instant T0 = Instant.parse("2026-11-25T02:15:00Z");

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Test
    void anotherWriterMovingTheHeadSendsTheAppendThroughTheLockAndTheChainStaysWhole() throws Exception {
        String cluster = "two-" + System.nanoTime();
        AuditWriter one = new AuditWriter(pool, vertx);
        AuditWriter other = new AuditWriter(pool, vertx); // as on another instance
        AppendResult first = opened(one, batch(cluster, 0));
        append(other, batch(cluster, 10));

        AppendResult third = append(one, batch(cluster, 20)); // `one` still remembers its own head

        assertEquals(10, third.recorded());
        assertArrayEquals(new long[] {0, 2}, one.appendsByWay(), "the usual append met the other's rows");
        assertEquals(first.head().seq() + 20, third.head().seq(), "right after the other writer's rows");
        assertWhole(cluster, 30);
    }

    @Test
    void anAppendLinkingToARowThatIsNotInTheChainInsertsNothingAndGoesThroughTheLock() throws Exception {
        String cluster = "gap-" + System.nanoTime();
        AuditWriter writer = new AuditWriter(pool, vertx);
        AppendResult first = opened(writer, batch(cluster, 0));
        // a head past the chain's end: without the check, the next rows would leave a gap before them
        writer.assumeHead(new ChainLink(first.head().seq() + 1, new byte[32]));

        AppendResult second = append(writer, batch(cluster, 10));

        assertEquals(first.head().seq() + 10, second.head().seq());
        assertArrayEquals(new long[] {0, 2}, writer.appendsByWay(), "the usual append inserted nothing");
        assertWhole(cluster, 20);
    }

    @Test
    void anAppendLinkingToARowWithAnotherHashInsertsNothingAndGoesThroughTheLock() throws Exception {
        String cluster = "fork-" + System.nanoTime();
        AuditWriter writer = new AuditWriter(pool, vertx);
        AppendResult first = opened(writer, batch(cluster, 0));
        writer.assumeHead(new ChainLink(first.head().seq(), new byte[32]));

        AppendResult second = append(writer, batch(cluster, 10));

        assertEquals(first.head().seq() + 10, second.head().seq());
        assertArrayEquals(new long[] {0, 2}, writer.appendsByWay(), "the usual append inserted nothing");
        assertWhole(cluster, 20);
    }

    @Test
    void appendsSentBeforeTheFirstCommitsAreEachPlannedOnThePreviousAndAllGoTheUsualWay() throws Exception {
        String cluster = "pipe-" + System.nanoTime();
        AuditWriter writer = new AuditWriter(pool, vertx);
        AppendResult first = opened(writer, batch(cluster, 0));
        // each is planned on top of the one before, not yet committed
        List<AppendResult> results =
                sentTogether(writer, batch(cluster, 10), batch(cluster, 20), batch(cluster, 30), batch(cluster, 40));

        assertEquals(first.head().seq() + 40, results.getLast().head().seq());
        assertArrayEquals(new long[] {4, 1}, writer.appendsByWay(), "one locked (the first), then the usual way");
        assertWhole(cluster, 50);
    }

    @Test
    void appendsSentTogetherBehindOneThatMeetsARecordedIdAllGoThroughAndTheChainStaysWhole() throws Exception {
        String cluster = "redo-" + System.nanoTime();
        AuditWriter writer = new AuditWriter(pool, vertx);
        List<Received> first = batch(cluster, 0);
        opened(writer, first);
        List<Received> mixed = new ArrayList<>(batch(cluster, 10));
        mixed.add(first.get(3)); // redelivered: its usual append meets the unique id and inserts nothing

        List<AppendResult> results = sentTogether(
                writer, mixed, batch(cluster, 20), batch(cluster, 30), batch(cluster, 40), batch(cluster, 50));

        assertEquals(10, results.getFirst().recorded());
        assertEquals(1, results.getFirst().duplicates());
        assertWhole(cluster, 60);
    }

    /** The first append goes the locked way and opens the appender's connection; waits for it. */
    private static AppendResult opened(AuditWriter writer, List<Received> batch) {
        AppendResult r = append(writer, batch);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(writer::appenderOpen);
        return r;
    }

    /** Subscribes to one append per batch at once, in order (none waits for another), and awaits all. */
    @SafeVarargs
    private static List<AppendResult> sentTogether(AuditWriter writer, List<Received>... batches) {
        List<Uni<AppendResult>> sent = new ArrayList<>();
        for (List<Received> b : batches) {
            sent.add(writer.append(b).memoize().indefinitely());
            sent.getLast().subscribe().with(r -> {}, e -> {});
        }
        return Uni.join().all(sent).andFailFast().await().atMost(Duration.ofSeconds(30));
    }

    private static AppendResult append(AuditWriter writer, List<Received> batch) {
        return writer.append(batch).await().atMost(Duration.ofSeconds(30));
    }

    private static List<Received> batch(String cluster, int from) throws MalformedEventException {
        List<Received> batch = new ArrayList<>();
        for (int i = from; i < from + 10; i++) {
            EventEnvelope e = Samples.unreachable(cluster, "node" + (i % 3 + 1), T0.plusMillis(i));
            batch.add(new Received(AuditEntry.of(e, Samples.body(e)), "pgops.health.events", 0, i));
        }
        return batch;
    }

    private static void assertWhole(String cluster, int rows) {
        List<Map<String, Object>> recorded = Trail.events("cluster=" + cluster + "&limit=1000");
        assertEquals(rows, recorded.size());
        Trail.assertIntactFrom(recorded);
    }
}
