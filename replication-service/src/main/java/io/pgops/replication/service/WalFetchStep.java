package io.pgops.replication.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.replication.domain.AgentReport;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.Slots;
import io.pgops.replication.domain.WalFetch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The WAL fetch of an automatic failover ({@link WalFetch}): the candidate streams from the standby with more WAL
 * until it has received as much or {@code wal-fetch-timeout} passed. Best effort by design: a fetch that fails or
 * times out leaves the failover as it would have been without it, and says so.
 */
final class WalFetchStep {
    private static final Logger LOG = Logger.getLogger(WalFetchStep.class);
    private static final Duration LOOK = Duration.ofMillis(100);

    private WalFetchStep() {}

    /** What the fetch did, in words, for the failover's story; null when there was nothing to fetch. */
    static String run(
            AgentClient agents,
            ClusterId cluster,
            ClusterState st,
            NodeName cand,
            NodeName old,
            Term term,
            Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            return null;
        }
        Optional<WalFetch.Source> src = WalFetch.source(cand, st.reports(), old);
        if (src.isEmpty()) {
            return null;
        }
        WalFetch.Source s = src.get();
        long t0 = System.nanoTime();
        try {
            agents.configure(cluster, s.node(), term, null, List.of(Slots.of(cand)));
            agents.follow(cluster, cand, term, s.node());
        } catch (AgentClient.AgentCallException e) {
            LOG.warnf("%s: %s could not fetch WAL from %s: %s", cluster, cand, s.node(), e.getMessage());
            return s.reason() + "; fetching it failed (" + e.getMessage() + ")";
        }
        long deadline = t0 + timeout.toNanos();
        Lsn reached = null;
        while (System.nanoTime() - deadline < 0) {
            AgentReport r = agents.reports(cluster, List.of(cand)).reports().get(cand);
            reached = r == null ? reached : r.walPosition().orElse(reached);
            if (reached != null && reached.bytesSince(s.upTo()) >= 0) {
                String done = s.reason() + "; " + cand + " fetched it from " + s.node() + " in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms";
                LOG.infof("%s: %s", cluster, done);
                return done;
            }
            try {
                Thread.sleep(LOOK.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return s.reason() + "; interrupted while fetching it";
            }
        }
        String partial = s.reason() + "; " + cand + " reached " + reached + " of it within " + timeout.toMillis()
                + " ms (wal-fetch-timeout), and is promoted with what it has";
        LOG.warnf("%s: %s", cluster, partial);
        return partial;
    }
}
