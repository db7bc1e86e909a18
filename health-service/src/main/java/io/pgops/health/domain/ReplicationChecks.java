package io.pgops.health.domain;

import static io.pgops.health.domain.CheckNames.REPLICATION_CONNECTED;
import static io.pgops.health.domain.CheckNames.REPLICATION_LAG;
import static io.pgops.health.domain.CheckNames.SLOT_INACTIVE;
import static io.pgops.health.domain.CheckNames.SLOT_RETAINED_WAL;
import static io.pgops.health.domain.CheckNames.SYNC_STANDBY;

import io.pgops.events.model.Lsn;
import io.pgops.health.domain.sample.NodeSample;
import io.pgops.health.domain.sample.Replication;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Replication checks. A standby is judged with the primary's sample of the same cycle: its row in
 * {@code pg_stat_replication} (write/flush/replay) and the primary's current WAL position; the
 * primary is judged on its sync standby and its slots.
 */
public final class ReplicationChecks {
    private ReplicationChecks() {}

    /**
     * @param node the node judged
     * @param primary the cluster's primary in this cycle, null when there is none (then nothing about
     *     a standby's replication can be judged)
     */
    public static List<CheckResult> evaluate(NodeSample node, NodeSample primary, Thresholds t) {
        List<CheckResult> out = new ArrayList<>();
        if (node.isStandby() && primary != null && primary.isPrimary() && primary.replication() != null) {
            standby(node, primary, t, out);
        }
        if (node.isPrimary() && node.replication() != null) {
            primary(node.replication(), t, out);
        }
        return out;
    }

    private static void standby(NodeSample node, NodeSample primary, Thresholds t, List<CheckResult> out) {
        Replication r = primary.replication();
        Optional<Replication.Replica> row = r.replicas().stream()
                .filter(x -> x.name().equals(node.node().value()))
                .findFirst();
        boolean streaming = row.map(x -> "streaming".equals(x.state())).orElse(false);
        out.add(CheckResult.flag(
                REPLICATION_CONNECTED,
                Severity.CRITICAL,
                !streaming,
                row.map(x -> node.node() + " is " + x.state() + " (" + x.syncState() + ") from " + primary.node())
                        .orElse(node.node() + " is missing from pg_stat_replication on " + primary.node())));

        // the freshest replay position we know: the standby's own, else what it last reported
        Lsn replay = freshest(
                node.standby() == null ? null : node.standby().replayLsn(),
                row.map(Replication.Replica::replayLsn).orElse(null),
                node.lsn());
        if (replay == null || r.currentLsn() == null) {
            return;
        }
        long lagBytes = Math.max(0, r.currentLsn().bytesSince(replay));
        long lagMillis = node.standby() == null ? 0 : Math.max(0, node.standby().replayDelayMillis());
        long maxMillis = t.lagTime().toMillis();
        boolean bytesOver = lagBytes > t.lagBytes();
        boolean timeOver = lagMillis > maxMillis;
        StringBuilder ev = new StringBuilder()
                .append("replay lag of ")
                .append(node.node())
                .append(" behind ")
                .append(primary.node())
                .append(": ")
                .append(Text.bytes(lagBytes))
                .append(bytesOver ? " exceeds " : " within ")
                .append(Text.bytes(t.lagBytes()))
                .append(", ")
                .append(Text.millis(lagMillis))
                .append(timeOver ? " exceeds " : " within ")
                .append(Text.millis(maxMillis));
        row.ifPresent(x -> ev.append("; write lag ")
                .append(Text.bytes(gap(r.currentLsn(), x.writeLsn())))
                .append(", flush lag ")
                .append(Text.bytes(gap(r.currentLsn(), x.flushLsn()))));
        if (node.standby() != null && node.standby().replayPaused()) {
            ev.append("; replay is paused");
        }
        LagFacts facts =
                new LagFacts(primary.node(), r.currentLsn(), replay, lagBytes, lagMillis, t.lagBytes(), maxMillis);
        boolean reportTime = timeOver && !bytesOver;
        out.add(new CheckResult(
                REPLICATION_LAG,
                Severity.CRITICAL,
                bytesOver || timeOver,
                reportTime ? lagMillis : lagBytes,
                reportTime ? maxMillis : t.lagBytes(),
                reportTime ? "milliseconds" : "bytes",
                ev.toString(),
                facts));
    }

    private static void primary(Replication r, Thresholds t, List<CheckResult> out) {
        if (r.syncConfigured()) {
            List<String> sync = r.replicas().stream()
                    .filter(x -> "sync".equals(x.syncState()) || "quorum".equals(x.syncState()))
                    .map(Replication.Replica::name)
                    .toList();
            out.add(CheckResult.flag(
                    SYNC_STANDBY,
                    Severity.CRITICAL,
                    sync.isEmpty(),
                    sync.isEmpty()
                            ? "synchronous_standby_names is set but no standby is sync: commits wait"
                            : "sync standby: " + String.join(", ", sync)));
        }
        List<String> inactive = r.slots().stream()
                .filter(s -> !s.active())
                .map(Replication.Slot::name)
                .toList();
        out.add(CheckResult.above(
                SLOT_INACTIVE,
                Severity.WARNING,
                inactive.size(),
                t.inactiveSlots(),
                "slots",
                inactive.isEmpty()
                        ? "every slot is in use (" + r.slots().size() + ")"
                        : inactive.size() + " inactive slot(s): " + String.join(", ", inactive)));
        Optional<Replication.Slot> worst =
                r.slots().stream().max(Comparator.comparingLong(Replication.Slot::retainedBytes));
        long retained = worst.map(Replication.Slot::retainedBytes).orElse(0L);
        out.add(CheckResult.above(
                SLOT_RETAINED_WAL,
                Severity.CRITICAL,
                retained,
                t.slotRetainedWalBytes(),
                "bytes",
                worst.map(s -> "slot " + s.name() + " retains " + Text.bytes(retained) + " of WAL (limit "
                                + Text.bytes(t.slotRetainedWalBytes()) + ")")
                        .orElse("no replication slots")));
    }

    private static long gap(Lsn current, Lsn other) {
        return other == null ? 0 : Math.max(0, current.bytesSince(other));
    }

    private static Lsn freshest(Lsn... candidates) {
        Lsn best = null;
        for (Lsn c : candidates) {
            if (c != null && (best == null || c.compareTo(best) > 0)) {
                best = c;
            }
        }
        return best;
    }
}
