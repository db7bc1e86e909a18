package io.pgops.health.service;

import static io.pgops.health.service.NodeSession.params;

import io.pgops.events.model.Lsn;
import io.pgops.health.domain.Thresholds;
import io.pgops.health.domain.sample.Capacity;
import io.pgops.health.domain.sample.Counters;
import io.pgops.health.domain.sample.NodeSample;
import io.pgops.health.domain.sample.Replication;
import io.pgops.health.domain.sample.Security;
import io.pgops.health.domain.sample.Sessions;
import io.pgops.health.domain.sample.StandbyStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Sends every check statement at once on the kept connection (the client pipelines them, so a probe
 * costs one round trip more than the base statement) and reads the rows into a {@link NodeSample}.
 * A statement that fails leaves its part null: that part's checks are not judged on this probe.
 */
final class SampleReader {
    private static final Logger LOG = Logger.getLogger(SampleReader.class);

    private SampleReader() {}

    static Uni<NodeSample> readAll(PgConnection c, NodeSample base, boolean syncConfigured, Thresholds t, int len) {
        double longAge = t.longQueryAge().toMillis() / 1000.0;
        double idleAge = t.idleInTransactionAge().toMillis() / 1000.0;
        Uni<Optional<List<Replication.Replica>>> replicas = base.isPrimary()
                ? read(c, ProbeQueries.REPLICAS, null, rows -> map(rows, SampleReader::replica), base)
                : Uni.createFrom().item(Optional.empty());
        Uni<Optional<List<Replication.Slot>>> slots = base.isPrimary()
                ? read(c, ProbeQueries.SLOTS, null, rows -> map(rows, SampleReader::slot), base)
                : Uni.createFrom().item(Optional.empty());
        Uni<Optional<StandbyStatus>> standby = base.isStandby()
                ? read(
                        c,
                        ProbeQueries.STANDBY,
                        null,
                        rows -> standby(rows.iterator().next()),
                        base)
                : Uni.createFrom().item(Optional.empty());
        Uni<Optional<List<Row>>> longQueries =
                read(c, ProbeQueries.LONG_QUERIES, params(longAge, len), SampleReader::rows, base);
        Uni<Optional<List<Sessions.Session>>> idle = read(
                c,
                ProbeQueries.IDLE_IN_TRANSACTION,
                params(idleAge, len),
                rows -> map(rows, SampleReader::session),
                base);
        Uni<Optional<List<Sessions.Blocked>>> blocked =
                read(c, ProbeQueries.BLOCKED, params(len), rows -> map(rows, SampleReader::blocked), base);
        Uni<Optional<Capacity>> capacity = read(
                c, ProbeQueries.CAPACITY, null, rows -> capacity(rows.iterator().next()), base);
        Uni<Optional<Counters>> counters = read(
                c,
                ProbeQueries.counters(base.serverVersion()),
                null,
                rows -> counters(rows.iterator().next()),
                base);
        Uni<Optional<Row>> security =
                read(c, ProbeQueries.SECURITY, null, rows -> rows.iterator().next(), base);
        Uni<Optional<List<String>>> hba = read(c, ProbeQueries.HBA, null, rows -> map(rows, SampleReader::hba), base);
        Uni<Optional<List<String>>> weakHba =
                read(c, ProbeQueries.HBA_WEAK, null, rows -> map(rows, SampleReader::hba), base);
        return Uni.combine()
                .all()
                .unis(replicas, slots, standby, longQueries, idle, blocked, capacity, counters, security, hba, weakHba)
                .with(parts -> {
                    NodeSample s = base;
                    Optional<List<Replication.Replica>> rep = cast(parts.get(0));
                    Optional<List<Replication.Slot>> sl = cast(parts.get(1));
                    if (rep.isPresent() && sl.isPresent()) {
                        s = s.withReplication(new Replication(base.lsn(), rep.get(), sl.get(), syncConfigured));
                    }
                    Optional<StandbyStatus> st = cast(parts.get(2));
                    s = s.withStandby(st.orElse(null));
                    Optional<List<Row>> lq = cast(parts.get(3));
                    Optional<List<Sessions.Session>> it = cast(parts.get(4));
                    Optional<List<Sessions.Blocked>> bl = cast(parts.get(5));
                    if (lq.isPresent() && it.isPresent() && bl.isPresent()) {
                        int count = lq.get().isEmpty() ? 0 : lq.get().getFirst().getInteger(0);
                        List<Sessions.Session> samples = lq.get().stream()
                                .map(r -> new Sessions.Session(
                                        r.getInteger(1), r.getString(2), r.getLong(3), r.getString(4)))
                                .toList();
                        s = s.withSessions(new Sessions(count, samples, it.get(), bl.get()));
                    }
                    Optional<Capacity> cap = cast(parts.get(6));
                    Optional<Counters> cnt = cast(parts.get(7));
                    s = s.withCapacity(cap.orElse(null)).withCounters(cnt.orElse(null));
                    Optional<Row> sec = cast(parts.get(8));
                    Optional<List<String>> rules = cast(parts.get(9));
                    Optional<List<String>> weak = cast(parts.get(10));
                    if (sec.isPresent()) {
                        Row r = sec.get();
                        String[] su = r.getArrayOfStrings(2);
                        boolean pgaudit = Boolean.TRUE.equals(r.getBoolean(3));
                        s = s.withSecurity(new Security(
                                r.getBoolean(0),
                                r.getString(1),
                                rules.orElse(null),
                                su == null ? List.of() : Arrays.asList(su),
                                weak.orElse(null),
                                pgaudit,
                                pgaudit ? r.getString(4) : null));
                    }
                    return s;
                });
    }

    @SuppressWarnings("unchecked")
    private static <T> Optional<T> cast(Object o) {
        return (Optional<T>) o;
    }

    private static <T> Uni<Optional<T>> read(
            PgConnection c, String sql, Tuple params, Function<RowSet<Row>, T> reader, NodeSample base) {
        Uni<RowSet<Row>> q = params == null
                ? c.preparedQuery(sql).execute()
                : c.preparedQuery(sql).execute(params);
        return q.map(rows -> Optional.ofNullable(reader.apply(rows)))
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.debugf(
                            "%s: a check statement failed, its checks wait: %s", base.node(), NodeSession.describe(e));
                    return Optional.empty();
                });
    }

    private static List<Row> rows(RowSet<Row> rows) {
        List<Row> out = new ArrayList<>();
        rows.forEach(out::add);
        return out;
    }

    private static <T> List<T> map(RowSet<Row> rows, Function<Row, T> f) {
        List<T> out = new ArrayList<>();
        rows.forEach(r -> out.add(f.apply(r)));
        return out;
    }

    private static Lsn lsn(String text) {
        return text == null ? null : Lsn.parse(text);
    }

    private static Replication.Replica replica(Row r) {
        return new Replication.Replica(
                String.valueOf(r.getString(0)),
                String.valueOf(r.getString(1)),
                String.valueOf(r.getString(2)),
                lsn(r.getString(3)),
                lsn(r.getString(4)),
                lsn(r.getString(5)));
    }

    private static Replication.Slot slot(Row r) {
        return new Replication.Slot(r.getString(0), Boolean.TRUE.equals(r.getBoolean(1)), r.getLong(2));
    }

    private static StandbyStatus standby(Row r) {
        return new StandbyStatus(
                lsn(r.getString(0)), lsn(r.getString(1)), r.getLong(2), Boolean.TRUE.equals(r.getBoolean(3)));
    }

    private static Sessions.Session session(Row r) {
        return new Sessions.Session(r.getInteger(0), r.getString(1), r.getLong(2), r.getString(3));
    }

    private static Sessions.Blocked blocked(Row r) {
        return new Sessions.Blocked(
                r.getInteger(0), r.getLong(1), r.getString(2), r.getInteger(3), r.getString(4), r.getString(5));
    }

    private static Capacity capacity(Row r) {
        return new Capacity(r.getInteger(0), r.getInteger(1), r.getInteger(2), r.getLong(3), r.getLong(4));
    }

    private static Counters counters(Row r) {
        return new Counters(r.getLong(0), r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5));
    }

    private static String hba(Row r) {
        return "line " + r.getInteger(0) + ": " + r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " "
                + r.getString(4) + (r.getString(5).isEmpty() ? "" : "/" + r.getString(5)) + " " + r.getString(6);
    }
}
