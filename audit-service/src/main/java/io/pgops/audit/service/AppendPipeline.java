package io.pgops.audit.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Lets ingestion decode the next batch while earlier ones are being written. Consumed batches wait
 * here in arrival order; a write takes every waiting batch, up to {@code maxRows} items (a batch is
 * never split, and a write takes at least one), and appends them as one transaction. Up to {@code
 * maxWrites} writes run at once, handed to the writer in arrival order (under this pipeline's lock, so
 * a writer that plans each write on top of the previous one sees them in order). A write that would
 * run beside another starts only once {@code minRowsToOverlap} items wait: overlapping keeps the
 * database busy while a commit travels back, and a small overlapping write would cost more in its own
 * commit than it saves (with no write running, whatever waits is written at once). A batch is
 * durable when its write completes; only then may its offsets be committed.
 *
 * <p>At most {@code maxInFlight} batches are submitted and not yet durable: {@link Submission#room()}
 * completes once the pipeline can take the next one, which is how the consumer is held back.
 *
 * <p>The writer must complete only when the items are durable and retry failures itself; a write
 * that fails anyway fails its batches' {@link Submission#durable()} and the pipeline goes on with the
 * next ones (the failed batches stay unacknowledged and are redelivered after a restart).
 *
 * @param <T> one item (an event) of a batch
 */
public final class AppendPipeline<T> {
    private final Function<List<T>, CompletionStage<?>> writer;
    private final int maxInFlight;
    private final int maxRows;
    private final int maxWrites;
    private final int minRowsToOverlap;
    private final ArrayDeque<Batch<T>> waiting = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Void>> rooms = new ArrayDeque<>();
    private int inFlight;
    private int writes;
    private int waitingRows;

    private record Batch<T>(List<T> items, CompletableFuture<Void> durable) {}

    /**
     * What a submitted batch gets.
     *
     * @param durable completes when the batch's items are durable
     * @param room completes when the pipeline can take another batch
     */
    public record Submission(CompletionStage<Void> durable, CompletionStage<Void> room) {}

    /** One write at a time. */
    public AppendPipeline(Function<List<T>, CompletionStage<?>> writer, int maxInFlight, int maxRows) {
        this(writer, maxInFlight, maxRows, 1, 1);
    }

    public AppendPipeline(
            Function<List<T>, CompletionStage<?>> writer,
            int maxInFlight,
            int maxRows,
            int maxWrites,
            int minRowsToOverlap) {
        if (maxInFlight < 1 || maxRows < 1 || maxWrites < 1 || minRowsToOverlap < 1) {
            throw new IllegalArgumentException(
                    "maxInFlight, maxRows, maxWrites and minRowsToOverlap must be at least 1");
        }
        this.writer = writer;
        this.maxInFlight = maxInFlight;
        this.maxRows = maxRows;
        this.maxWrites = maxWrites;
        this.minRowsToOverlap = minRowsToOverlap;
    }

    /** A write handed to the writer, and what it returned. */
    private record Issued<T>(List<Batch<T>> batches, CompletionStage<?> written) {}

    /** Queues a batch behind the ones already submitted. An empty batch is durable at once. */
    public Submission submit(List<T> items) {
        CompletableFuture<Void> room = new CompletableFuture<>();
        if (items.isEmpty()) {
            return new Submission(CompletableFuture.completedFuture(null), roomNow(room));
        }
        Batch<T> batch = new Batch<>(List.copyOf(items), new CompletableFuture<>());
        List<Issued<T>> issued;
        synchronized (this) {
            waiting.add(batch);
            waitingRows += batch.items().size();
            inFlight++;
            if (inFlight < maxInFlight) {
                room.complete(null);
            } else {
                rooms.add(room);
            }
            issued = issue();
        }
        watch(issued);
        return new Submission(batch.durable(), room);
    }

    /** Batches submitted and not yet durable (or failed). */
    public synchronized int inFlight() {
        return inFlight;
    }

    private CompletableFuture<Void> roomNow(CompletableFuture<Void> room) {
        synchronized (this) {
            if (inFlight >= maxInFlight) {
                rooms.add(room);
                return room;
            }
        }
        room.complete(null);
        return room;
    }

    /**
     * Hands the waiting batches to the writer while fewer than {@code maxWrites} writes run (beside a
     * running write, only once {@code minRowsToOverlap} items wait); called holding the lock, so
     * writes are handed over in arrival order.
     */
    private List<Issued<T>> issue() {
        List<Issued<T>> issued = new ArrayList<>();
        while (writes < maxWrites && !waiting.isEmpty() && (writes == 0 || waitingRows >= minRowsToOverlap)) {
            List<Batch<T>> taken = new ArrayList<>();
            List<T> items = new ArrayList<>();
            while (!waiting.isEmpty()
                    && (taken.isEmpty() || items.size() + waiting.peek().items().size() <= maxRows)) {
                Batch<T> b = waiting.poll();
                waitingRows -= b.items().size();
                items.addAll(b.items());
                taken.add(b);
            }
            writes++;
            CompletionStage<?> written;
            try {
                written = writer.apply(items);
            } catch (RuntimeException e) {
                written = CompletableFuture.failedFuture(e);
            }
            issued.add(new Issued<>(taken, written));
        }
        return issued;
    }

    /** Follows issued writes to their end; called without the lock (a write may be done already). */
    private void watch(List<Issued<T>> issued) {
        for (Issued<T> w : issued) {
            w.written().whenComplete((ok, failure) -> written(w.batches(), failure));
        }
    }

    private void written(List<Batch<T>> batches, Throwable failure) {
        List<CompletableFuture<Void>> freed = new ArrayList<>();
        List<Issued<T>> issued;
        synchronized (this) {
            writes--;
            inFlight -= batches.size();
            while (!rooms.isEmpty() && inFlight + rooms.size() <= maxInFlight) {
                freed.add(rooms.poll());
            }
            issued = issue();
        }
        for (Batch<T> b : batches) {
            if (failure == null) {
                b.durable().complete(null);
            } else {
                b.durable().completeExceptionally(failure);
            }
        }
        freed.forEach(r -> r.complete(null));
        watch(issued);
    }
}
