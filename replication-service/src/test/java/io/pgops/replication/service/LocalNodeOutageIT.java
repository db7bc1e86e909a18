package io.pgops.replication.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.Term;
import io.pgops.kit.inventory.Inventory;
import io.pgops.replication.config.AgentConfig;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The agent beside a node whose PostgreSQL dies: given {@code status(true)} and {@code report(term)}
 * asked over and over, two of each at once on a pool of two connections, when the postmaster is
 * SIGKILLed and stays dead, then every look answers (down / not answering once the node is gone) and
 * Vert.x receives no uncaught exception, not even after the pool's connection timeout, when a timer
 * the pool armed for a look that had already failed would complete that look a second time.
 */
class LocalNodeOutageIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(1);
    /** Looks of each kind (status, report) that must have started on a dead node before the hammer stops. */
    static final int LOOKS_AFTER_DEATH = 100;
    /** Pause between the looks of one loop, so the load stays that of a few busy callers. */
    static final long PACE_MS = 20;
    /** Loops looking at once, half status, half report: twice the pool's two connections. */
    static final int LOOPS = 4;

    /**
     * One look: which call, whether it started once the node was known dead, whether the node answered,
     * why not, and whether the call failed instead of answering (status and report recover every failure).
     */
    record Look(String kind, boolean afterDeath, boolean answered, String error, boolean failed) {}

    private final Queue<Look> looks = new ConcurrentLinkedQueue<>();
    private final Queue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    /** Loops that saw {@link #stop} and started no further look. */
    private final AtomicInteger ended = new AtomicInteger();

    private volatile boolean dead;
    private volatile boolean stop;

    @Test
    void lookingAtANodeWhosePostmasterIsKilledAnswersDownAndNothingCompletesTwice() {
        List<PgNode> nodes = TestStack.get().newCluster("outage");
        PgNode standby = nodes.get(1); // a standby: status(true) also asks its upstream primary's position
        Map<String, String> props = new LinkedHashMap<>(TestStack.get().inventory("outage", nodes));
        props.put("pgops.agent.cluster", "outage");
        props.put("pgops.agent.node", standby.name());
        props.put("pgops.agent.status-timeout", STATUS_TIMEOUT.toMillis() + "ms");
        // the inventory and agent settings as an agent beside the node reads them (Quarkus' duration syntax)
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(Inventory.class)
                .withMapping(AgentConfig.class)
                .withSources(new PropertiesConfigSource(props, "LocalNodeOutageIT", 100))
                .build();

        Vertx vertx = Vertx.vertx();
        vertx.exceptionHandler(uncaught::add);
        LocalNode local = new LocalNode(
                vertx, config.getConfigMapping(AgentConfig.class), config.getConfigMapping(Inventory.class));
        // every look starts on this one event loop: the pool's timers for them are set on it too
        Context ctx = vertx.getDelegate().getOrCreateContext();
        try {
            for (int i = 0; i < LOOPS / 2; i++) {
                loop(
                        ctx,
                        "status",
                        () -> local.status(true).map(s -> new Look("status", false, s.running(), s.error(), false)));
                loop(
                        ctx,
                        "report",
                        () -> local.report(Term.of(3))
                                .map(r -> new Look("report", false, r.running(), r.error(), false)));
            }
            await("the node to answer both looks")
                    .atMost(WAIT)
                    .until(() -> count("status", false, true) > 0 && count("report", false, true) > 0);

            List<ProcessHandle> postgres = new ArrayList<>();
            standby.pidValue().flatMap(ProcessHandle::of).ifPresent(pm -> {
                postgres.add(pm);
                pm.descendants().forEach(postgres::add);
            });
            assertTrue(!postgres.isEmpty(), "the standby's postmaster runs");
            standby.kill();
            await("the postmaster and every backend to be gone")
                    .atMost(WAIT)
                    .until(() -> !standby.isRunning() && postgres.stream().noneMatch(ProcessHandle::isAlive));
            dead = true;

            await(LOOKS_AFTER_DEATH + " looks of each kind on the dead node")
                    .atMost(WAIT)
                    .until(() -> count("status", true, null) >= LOOKS_AFTER_DEATH
                            && count("report", true, null) >= LOOKS_AFTER_DEATH);
            stop = true;
            await("every look to complete").atMost(WAIT).until(() -> ended.get() == LOOPS);

            // A timer the pool armed for a look fires at the latest after its connection timeout (LocalNode
            // keeps PoolOptions' default). Timers of one event loop fire in deadline order: once this one,
            // armed after the last look ended, has fired, any such timer has fired and reported what it threw.
            PoolOptions defaults = new PoolOptions();
            long barrier = defaults.getConnectionTimeoutUnit().toMillis(defaults.getConnectionTimeout())
                    + STATUS_TIMEOUT.toMillis();
            AtomicBoolean past = new AtomicBoolean();
            ctx.runOnContext(v -> ctx.owner().setTimer(barrier, id -> past.set(true)));
            await("the pool's connection timeout to pass for every look")
                    .atMost(Duration.ofMillis(barrier).plus(WAIT))
                    .untilTrue(past);
        } finally {
            stop = true;
            local.close();
            vertx.closeAndAwait();
        }

        List<Look> afterDeath = looks.stream().filter(Look::afterDeath).toList();
        System.out.printf(
                "LocalNodeOutageIT: %d looks, %d on the dead node; %d uncaught exceptions%n",
                looks.size(), afterDeath.size(), uncaught.size());
        if (!uncaught.isEmpty()) {
            uncaught.peek().printStackTrace(); // where the first one was thrown
        }
        assertEquals(
                List.of(),
                uncaught.stream().limit(5).map(Throwable::toString).toList(),
                uncaught.size() + " uncaught exceptions received by Vert.x");
        assertEquals(List.of(), looks.stream().filter(Look::failed).toList(), "every look completes with an answer");
        List<Look> answered = afterDeath.stream().filter(Look::answered).toList();
        assertEquals(List.of(), answered, "a look at the dead node says it is down / not answering");
        assertTrue(
                afterDeath.stream()
                        .allMatch(l -> l.error() != null && !l.error().isBlank()),
                "each look at the dead node says why");
    }

    private long count(String kind, boolean afterDeath, Boolean answered) {
        return looks.stream()
                .filter(l -> l.kind().equals(kind) && l.afterDeath() == afterDeath)
                .filter(l -> answered == null || l.answered() == answered)
                .count();
    }

    /** Looks again and again on {@code ctx}, one at a time, until told to stop. */
    private void loop(Context ctx, String kind, Supplier<Uni<Look>> look) {
        ctx.runOnContext(v -> {
            if (stop) {
                ended.incrementAndGet();
                return;
            }
            boolean afterDeath = dead;
            look.get()
                    .subscribe()
                    .with(
                            l -> next(ctx, kind, look, new Look(kind, afterDeath, l.answered(), l.error(), false)),
                            e -> next(ctx, kind, look, new Look(kind, afterDeath, false, e.toString(), true)));
        });
    }

    /** Records a look that ended and, after a short pause on {@code ctx}, starts the next one. */
    private void next(Context ctx, String kind, Supplier<Uni<Look>> look, Look done) {
        looks.add(done);
        ctx.runOnContext(v -> ctx.owner().setTimer(PACE_MS, id -> loop(ctx, kind, look)));
    }
}
