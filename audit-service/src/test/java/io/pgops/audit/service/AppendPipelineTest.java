package io.pgops.audit.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class AppendPipelineTest {
    /** A writer whose writes complete when the test says so. */
    static final class Writes {
        final List<List<Integer>> taken = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();

        CompletionStage<?> write(List<Integer> items) {
            taken.add(List.copyOf(items));
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void finish(int write) {
            pending.get(write).complete(null);
        }
    }

    @Test
    void oneWriteRunsAtATimeAndBatchesThatWaitedAreWrittenTogetherInArrivalOrder() {
        Writes w = new Writes();
        AppendPipeline<Integer> p = new AppendPipeline<>(w::write, 10, 100);
        var a = p.submit(List.of(1, 2));
        var b = p.submit(List.of(3));
        var c = p.submit(List.of(4, 5));
        assertEquals(List.of(List.of(1, 2)), w.taken, "the first batch is written at once, alone");

        w.finish(0);
        assertTrue(done(a.durable()));
        assertFalse(done(b.durable()));
        assertEquals(List.of(3, 4, 5), w.taken.get(1), "the two that waited go in one write, in order");

        w.finish(1);
        assertTrue(done(b.durable()) && done(c.durable()));
        assertEquals(0, p.inFlight());
    }

    @Test
    void aBatchIsDurableOnlyWhenItsWriteCompletes() {
        Writes w = new Writes();
        AppendPipeline<Integer> p = new AppendPipeline<>(w::write, 10, 100);
        var a = p.submit(List.of(1));
        assertFalse(done(a.durable()));
        w.finish(0);
        assertTrue(done(a.durable()));
    }

    @Test
    void aWriteTakesNoMoreThanMaxRowsButNeverSplitsABatch() {
        Writes w = new Writes();
        AppendPipeline<Integer> p = new AppendPipeline<>(w::write, 10, 3);
        p.submit(List.of(0));
        p.submit(List.of(1, 2));
        p.submit(List.of(3));
        p.submit(List.of(4, 5, 6, 7));
        w.finish(0);
        assertEquals(List.of(1, 2, 3), w.taken.get(1), "three rows fit");
        w.finish(1);
        assertEquals(List.of(4, 5, 6, 7), w.taken.get(2), "a batch larger than maxRows is written whole");
    }

    @Test
    void theConsumerIsHeldBackWhileMaxInFlightBatchesAreNotDurable() {
        Writes w = new Writes();
        AppendPipeline<Integer> p = new AppendPipeline<>(w::write, 2, 100);
        var a = p.submit(List.of(1));
        assertTrue(done(a.room()), "one in flight: room for another");
        var b = p.submit(List.of(2));
        assertFalse(done(b.room()), "two in flight: no room until one is durable");
        w.finish(0);
        assertTrue(done(b.room()));
        assertEquals(1, p.inFlight());
    }

    @Test
    void aFailedWriteFailsItsBatchesAndTheNextOnesAreStillWritten() {
        Writes w = new Writes();
        AppendPipeline<Integer> p = new AppendPipeline<>(w::write, 10, 100);
        var a = p.submit(List.of(1));
        var b = p.submit(List.of(2));
        w.pending.getFirst().completeExceptionally(new IllegalStateException("database gone"));
        ExecutionException e = assertThrows(
                ExecutionException.class,
                () -> a.durable().toCompletableFuture().get());
        assertEquals("database gone", e.getCause().getMessage());
        assertEquals(List.of(2), w.taken.get(1));
        w.finish(1);
        assertTrue(done(b.durable()));
    }

    @Test
    void withTwoWritesTheSecondIsHandedOverBeforeTheFirstCompletesAndWritesFollowArrivalOrder() {
        Writes w = new Writes();
        AppendPipeline<Integer> p = new AppendPipeline<>(w::write, 10, 100, 2, 1);
        var a = p.submit(List.of(1));
        var b = p.submit(List.of(2));
        p.submit(List.of(3));
        p.submit(List.of(4));
        assertEquals(List.of(List.of(1), List.of(2)), w.taken, "two writes run; the others wait");

        w.finish(1); // the second write completes first
        assertTrue(done(b.durable()));
        assertFalse(done(a.durable()));
        assertEquals(List.of(3, 4), w.taken.get(2), "the waiting batches go in one write, in order");
        w.finish(0);
        w.finish(2);
        assertEquals(0, p.inFlight());
    }

    @Test
    void besideARunningWriteASecondStartsOnlyOnceEnoughItemsWaitAndAloneAWriteTakesWhateverWaits() {
        Writes w = new Writes();
        AppendPipeline<Integer> p = new AppendPipeline<>(w::write, 10, 100, 2, 4);
        p.submit(List.of(1)); // nothing running: written at once, however small
        p.submit(List.of(2, 3));
        assertEquals(1, w.taken.size(), "two items wait beside a running write: not enough to overlap");
        p.submit(List.of(4, 5));
        assertEquals(List.of(2, 3, 4, 5), w.taken.get(1), "four wait: the second write starts beside the first");

        p.submit(List.of(6));
        w.finish(0);
        assertEquals(2, w.taken.size(), "one item waits beside the second write: it keeps waiting");
        w.finish(1);
        assertEquals(List.of(6), w.taken.get(2), "no write runs: what waits is written");
        w.finish(2);
        assertEquals(0, p.inFlight());
    }

    @Test
    void anEmptyBatchIsDurableAtOnceAndWritesNothing() {
        Writes w = new Writes();
        AppendPipeline<Integer> p = new AppendPipeline<>(w::write, 10, 100);
        var a = p.submit(List.of());
        assertTrue(done(a.durable()) && done(a.room()));
        assertTrue(w.taken.isEmpty());
    }

    private static boolean done(CompletionStage<Void> f) {
        CompletableFuture<Void> cf = f.toCompletableFuture();
        return cf.isDone() && !cf.isCompletedExceptionally();
    }
}
