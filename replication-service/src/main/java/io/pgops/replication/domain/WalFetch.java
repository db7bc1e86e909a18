package io.pgops.replication.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import java.util.Map;
import java.util.Optional;

/**
 * Before an automatic failover promotes a standby that is not the most advanced one (another standby may not be
 * promoted: {@code nofailover}, priority 0, or it lags by the rules' measure but not in WAL), the candidate first
 * fetches the WAL that standby has beyond it: it streams from it (cascading) until it has received as much, then it
 * is promoted. Commits the old primary acknowledged only to that standby then survive an asynchronous failover.
 */
public final class WalFetch {
    /** Where to fetch from, up to where, and why, in words. */
    public record Source(NodeName node, Lsn upTo, String reason) {}

    private WalFetch() {}

    /**
     * The running standby on the candidate's timeline that holds the most WAL beyond the candidate's, if any.
     */
    public static Optional<Source> source(NodeName candidate, Map<NodeName, AgentReport> reports, NodeName oldPrimary) {
        AgentReport cand = reports.get(candidate);
        if (cand == null || cand.walPosition().isEmpty()) {
            return Optional.empty();
        }
        Lsn from = cand.walPosition().get();
        NodeName best = null;
        Lsn bestLsn = from;
        for (Map.Entry<NodeName, AgentReport> e : reports.entrySet()) {
            AgentReport r = e.getValue();
            if (e.getKey().equals(candidate) || e.getKey().equals(oldPrimary) || !r.running() || !r.inRecovery()) {
                continue;
            }
            if (r.timeline() == null || !r.timeline().equals(cand.timeline())) {
                continue;
            }
            Optional<Lsn> at = r.walPosition();
            if (at.isPresent() && at.get().bytesSince(bestLsn) > 0) {
                best = e.getKey();
                bestLsn = at.get();
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new Source(
                best,
                bestLsn,
                best + " has received " + bestLsn.bytesSince(from) + " bytes of WAL beyond " + candidate + " ("
                        + bestLsn + " > " + from + ")"));
    }
}
