package io.pgops.audit.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Lets ingestion decode the next batch while earlier ones are being written. Consumed batches wait
 * here in arrival order; one write at a time takes every waiting batch, up to {@code maxRows} items
 * (a batch is never split, and a write takes at least one), and appends them as one transaction. A
 * batch is durable when its write completes; only then may its offsets be committed.
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
    private final ArrayDeque<Batch<T>> waiting = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Void>> rooms = new ArrayDeque<>();
    private int inFlight;
    private boolean writing;

    private record Batch<T>(List<T> items, CompletableFuture<Void> durable) {}

    /**
     * What a submitted batch gets.
     *
     * @param durable completes when the batch's items are durable
     * @param room completes when the pipeline can take another batch
     */
    public record Submission(CompletionStage<Void> durable, CompletionStage<Void> room) {}

    public AppendPipeline(Function<List<T>, CompletionStage<?>> writer, int maxInFlight, int maxRows) {
        if (maxInFlight < 1 || maxRows < 1) {
            throw new IllegalArgumentException("maxInFlight and maxRows must be at least 1");
        }
        this.writer = writer;
        this.maxInFlight = maxInFlight;
        this.maxRows = maxRows;
    }

    /** Queues a batch behind the ones already submitted. An empty batch is durable at once. */
    public Submission submit(List<T> items) {
        CompletableFuture<Void> room = new CompletableFuture<>();
        if (items.isEmpty()) {
            return new Submission(CompletableFuture.completedFuture(null), roomNow(room));
        }
        Batch<T> batch = new Batch<>(List.copyOf(items), new CompletableFuture<>());
        List<Batch<T>> start;
        synchronized (this) {
            waiting.add(batch);
            inFlight++;
            if (inFlight < maxInFlight) {
                room.complete(null);
            } else {
                rooms.add(room);
            }
            start = next();
        }
        write(start);
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

    /** Takes the next write's batches, if no write is running; called holding the lock. */
    private List<Batch<T>> next() {
        if (writing || waiting.isEmpty()) {
            return List.of();
        }
        List<Batch<T>> taken = new ArrayList<>();
        int rows = 0;
        while (!waiting.isEmpty()
                && (taken.isEmpty() || rows + waiting.peek().items().size() <= maxRows)) {
            Batch<T> b = waiting.poll();
            rows += b.items().size();
            taken.add(b);
        }
        writing = true;
        return taken;
    }

    private void write(List<Batch<T>> batches) {
        if (batches.isEmpty()) {
            return;
        }
        List<T> items = new ArrayList<>();
        for (Batch<T> b : batches) {
            items.addAll(b.items());
        }
        CompletionStage<?> written;
        try {
            written = writer.apply(items);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((ok, failure) -> written(batches, failure));
    }

    private void written(List<Batch<T>> batches, Throwable failure) {
        List<CompletableFuture<Void>> freed = new ArrayList<>();
        List<Batch<T>> start;
        synchronized (this) {
            writing = false;
            inFlight -= batches.size();
            while (!rooms.isEmpty() && inFlight + rooms.size() <= maxInFlight) {
                freed.add(rooms.poll());
            }
            start = next();
        }
        for (Batch<T> b : batches) {
            if (failure == null) {
                b.durable().complete(null);
            } else {
                b.durable().completeExceptionally(failure);
            }
        }
        freed.forEach(r -> r.complete(null));
        write(start);
    }
}
