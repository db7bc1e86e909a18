package io.pgops.audit.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.audit.config.AuditConfig;
import io.pgops.stack.process.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every read of the trail (queries, chain walk, guard inspection) while pgops' PostgreSQL refuses
 * connections: each fails once, and Vert.x receives no uncaught exception, not even after the pool's
 * connection timeout, when a timer that {@code pool.query(..)} armed for a query that had already failed
 * would fail it a second time ({@code IllegalStateException: Result is already complete}).
 */
class DatabaseDownTest {
    /** Short, so the timers such a query leaves behind fire within the test. */
    static final long CONNECTION_TIMEOUT_MS = 300;

    static final Duration WAIT = Duration.ofSeconds(30);

    /** The walk's page size; the rest of the settings are not read by these calls. */
    static final AuditConfig CONFIG = new AuditConfig() {
        @Override
        public Retry retry() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Ingest ingest() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Verify verify() {
            return () -> 100;
        }

        @Override
        public Checkpoint checkpoint() {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void everyReadFailsOnceWhileTheDatabaseRefusesConnectionsAndNothingCompletesTwice() {
        Queue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
        // one event loop: the pool's timers and the barrier below fire in deadline order
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        vertx.exceptionHandler(uncaught::add);
        io.vertx.sqlclient.Pool core = PgBuilder.pool()
                .with(new PoolOptions()
                        .setMaxSize(2)
                        .setConnectionTimeout((int) CONNECTION_TIMEOUT_MS)
                        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
                .connectingTo(new PgConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(Ports.free()) // nothing listens: every connection is refused
                        .setDatabase("pgops")
                        .setUser("pgops")
                        .setPassword("not-used"))
                .using(vertx)
                .build();
        io.vertx.mutiny.sqlclient.Pool pool = io.vertx.mutiny.sqlclient.Pool.newInstance(core);
        AuditQueries queries = new AuditQueries(pool);
        ChainAudit chain = new ChainAudit(pool, CONFIG);
        AuditSchema schema = new AuditSchema(pool);
        EventFilter all = new EventFilter(null, null, null, null, null, null, null);

        Map<String, Supplier<Object>> reads = new LinkedHashMap<>();
        reads.put("find", () -> queries.find(all, null, 10).await().atMost(WAIT));
        reads.put("recentClusters", () -> queries.recentClusters(100).await().atMost(WAIT));
        reads.put(
                "recentIncidents",
                () -> queries.recentIncidents("c", 5, 100).await().atMost(WAIT));
        reads.put("incident", () -> queries.incident("flow").await().atMost(WAIT));
        reads.put("head", () -> chain.head().await().atMost(WAIT));
        reads.put("linkAt", () -> chain.linkAt(1).await().atMost(WAIT));
        reads.put("verify from 1", () -> chain.verify(1, null));
        reads.put("verify from 5", () -> chain.verify(5, null));
        reads.put("guards", () -> schema.guards().await().atMost(WAIT));
        try {
            List<String> answered = new ArrayList<>();
            for (Map.Entry<String, Supplier<Object>> read : reads.entrySet()) {
                try {
                    read.getValue().get();
                    answered.add(read.getKey());
                } catch (RuntimeException refused) {
                    // the expected outcome: the database is down
                }
            }
            assertEquals(List.of(), answered, "a read against a database that is down fails");

            // a timer armed for a read fires at the latest CONNECTION_TIMEOUT_MS after it; this one is armed
            // after every read ended, on the same event loop, so once it has fired every such timer has too
            AtomicBoolean past = new AtomicBoolean();
            vertx.setTimer(CONNECTION_TIMEOUT_MS + 100, id -> past.set(true));
            await("the pool's connection timeout to pass for every read")
                    .atMost(WAIT)
                    .untilTrue(past);
        } finally {
            core.close().toCompletionStage().toCompletableFuture().join();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        assertEquals(
                List.of(),
                uncaught.stream().limit(5).map(Throwable::toString).toList(),
                uncaught.size() + " uncaught exceptions received by Vert.x");
    }
}
