package io.pgops.audit;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.PgopsEvent;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.events.replication.NodeFenced;
import io.pgops.events.replication.NodePromoted;
import io.pgops.events.replication.PromoteRequested;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic events for the audit tests: one failover story per call, on the cluster given. */
public final class Samples {
    private Samples() {}

    public static EventEnvelope unreachable(String cluster, String node, Instant at) {
        return wrap(
                new NodeUnreachable(
                        ClusterId.of(cluster),
                        NodeName.of(node),
                        "127.0.0.1",
                        5432,
                        3,
                        "connection refused",
                        at.minusSeconds(15),
                        at),
                "/pgops/health-service",
                null,
                at);
    }

    public static EventEnvelope promoteRequested(String cluster, String node, String principal, Instant at) {
        return wrap(
                new PromoteRequested(
                        ClusterId.of(cluster), NodeName.of(node), false, principal, "planned maintenance of db1"),
                "/pgops/operator-api",
                null,
                at);
    }

    /** A failover told in five events, 0.5 s to 4 s apart, all with the first one's correlation id. */
    public static List<EventEnvelope> failover(String cluster, Instant t0) {
        ClusterId c = ClusterId.of(cluster);
        NodeName db1 = NodeName.of("db1");
        NodeName db2 = NodeName.of("db2");
        Term term = Term.of(7);
        EventEnvelope breach = wrap(
                new PrimaryUnreachable(c, db1, 3, "connection refused", Lsn.parse("0/3000060"), t0),
                "/pgops/health-service",
                null,
                t0);
        String flow = breach.correlationId();
        return List.of(
                breach,
                wrap(
                        new FailoverStarted(
                                c,
                                term,
                                LeadershipChange.FAILOVER,
                                db1,
                                db2,
                                Lsn.parse("0/3000060"),
                                Lsn.parse("0/3000060"),
                                Timeline.of(1),
                                "primary db1 unreachable for 3 probes; db2 is the sync standby",
                                t0.plusMillis(500)),
                        "/pgops/replication-service",
                        flow,
                        t0.plusMillis(500)),
                wrap(
                        new NodeFenced(c, term, db1, "shutdown", true, "fencing the old primary", t0.plusMillis(1500)),
                        "/pgops/replication-service",
                        flow,
                        t0.plusMillis(1500)),
                wrap(
                        new NodePromoted(
                                c,
                                term,
                                db2,
                                Timeline.of(1),
                                Timeline.of(2),
                                Lsn.parse("0/3000060"),
                                800,
                                t0.plusMillis(2500)),
                        "/pgops/replication-service",
                        flow,
                        t0.plusMillis(2500)),
                wrap(
                        new FailoverCompleted(
                                c,
                                term,
                                LeadershipChange.FAILOVER,
                                db1,
                                db2,
                                Timeline.of(2),
                                Lsn.parse("0/3000060"),
                                0L,
                                6500,
                                "db2 accepts writes",
                                t0.plusMillis(6500)),
                        "/pgops/replication-service",
                        flow,
                        t0.plusMillis(6500)));
    }

    /** An envelope with a chosen time (wrap() stamps now). */
    public static EventEnvelope wrap(PgopsEvent data, String source, String correlationId, Instant time) {
        EventEnvelope now = EventEnvelope.wrap(data, source, correlationId);
        return new EventEnvelope(now.id(), source, now.type(), now.subject(), time, now.correlationId(), data);
    }

    public static Map<String, byte[]> headers(EventEnvelope e) {
        return CloudEventCodec.headers(e);
    }

    public static byte[] body(EventEnvelope e) {
        return CloudEventCodec.body(e);
    }
}
