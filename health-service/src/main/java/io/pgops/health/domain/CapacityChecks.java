package io.pgops.health.domain;

import static io.pgops.health.domain.CheckNames.CONNECTIONS_CRITICAL;
import static io.pgops.health.domain.CheckNames.CONNECTIONS_WARNING;
import static io.pgops.health.domain.CheckNames.MULTIXACT_WRAPAROUND;
import static io.pgops.health.domain.CheckNames.XID_WRAPAROUND;

import io.pgops.health.domain.sample.Capacity;
import io.pgops.health.domain.sample.NodeSample;
import java.util.ArrayList;
import java.util.List;

/** Connection saturation (two levels, two checks) and transaction ID / multixact wraparound. */
public final class CapacityChecks {
    private CapacityChecks() {}

    public static List<CheckResult> evaluate(NodeSample node, Thresholds t) {
        Capacity c = node.capacity();
        List<CheckResult> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        int usable = Math.max(1, c.maxConnections() - c.reservedConnections());
        double used = (double) c.clientConnections() / usable;
        String ev = c.clientConnections() + " of " + usable + " usable connections in use, " + Text.percent(used)
                + " (max_connections=" + c.maxConnections() + ", " + c.reservedConnections() + " reserved)";
        out.add(CheckResult.above(CONNECTIONS_WARNING, Severity.WARNING, used, t.connectionsWarning(), "ratio", ev));
        out.add(CheckResult.above(CONNECTIONS_CRITICAL, Severity.CRITICAL, used, t.connectionsCritical(), "ratio", ev));
        out.add(CheckResult.above(
                XID_WRAPAROUND,
                Severity.CRITICAL,
                c.xidAge(),
                t.xidAge(),
                "transactions",
                "oldest datfrozenxid is " + c.xidAge() + " transactions old (limit " + t.xidAge()
                        + "; wraparound at 2^31)"));
        out.add(CheckResult.above(
                MULTIXACT_WRAPAROUND,
                Severity.CRITICAL,
                c.multixactAge(),
                t.multixactAge(),
                "multixacts",
                "oldest datminmxid is " + c.multixactAge() + " multixacts old (limit " + t.multixactAge() + ")"));
        return out;
    }
}
