package io.pgops.maintenance.service;

import io.pgops.events.model.ClusterId;
import io.pgops.maintenance.config.Policies;
import io.pgops.maintenance.domain.BloatEstimate;
import io.pgops.maintenance.domain.BlockingTree;
import io.pgops.maintenance.domain.IndexAdvisor;
import io.pgops.maintenance.domain.IndexBloatEstimate;
import io.pgops.maintenance.domain.IndexFinding;
import io.pgops.maintenance.domain.ObjectName;
import io.pgops.maintenance.domain.Redaction;
import io.pgops.maintenance.domain.Task;
import io.pgops.maintenance.domain.VacuumAdvisor;
import io.pgops.maintenance.domain.VacuumPolicy;
import io.pgops.maintenance.domain.WorkMemAdvice;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The reports: each reads one node (the primary unless a node is named) over a fresh connection whose
 * statements run under the report timeout, and turns the rows into the domain's findings.
 */
@ApplicationScoped
public class Reports {
    private final ClusterNodes nodes;
    private final Policies policies;
    private final Clock clock = Clock.systemUTC();

    public Reports(ClusterNodes nodes, Policies policies) {
        this.nodes = nodes;
        this.policies = policies;
    }

    /**
     * One report's answer.
     *
     * @param node the node it was read on
     * @param database the database it was read in
     * @param readAt when (UTC)
     * @param millis how long reading and judging took, milliseconds
     * @param body the report
     */
    public record Report<T>(String cluster, String node, String database, Instant readAt, long millis, T body) {}

    /** pg_stat_statements is not there to read (409): not installed in the database, or not preloaded. */
    public static final class ExtensionMissing extends RuntimeException {
        public ExtensionMissing(String message) {
            super(message);
        }
    }

    public record VacuumCandidates(VacuumPolicy policy, List<Task> tasks) {}

    /**
     * @param tables tables with at least the minimum of estimated bloat, the most first
     * @param indexes B-tree indexes (without expressions) likewise
     */
    public record Bloat(String method, List<BloatEstimate> tables, List<IndexBloatEstimate> indexes) {}

    public record Connections(int total, int maxConnections, List<ConnectionGroup> groups) {}

    public record ConnectionGroup(String database, String user, String application, String state, int count) {}

    public record TopQuery(
            Long queryId,
            String query,
            long calls,
            double totalMillis,
            double meanMillis,
            long rows,
            double shareOfTotalTime,
            String user,
            String database) {}

    public Report<VacuumCandidates> vacuumCandidates(ClusterId id, String node) {
        VacuumPolicy policy = policies.vacuum(id.value());
        return read(
                id,
                node,
                sql -> new VacuumCandidates(policy, VacuumAdvisor.candidates(Catalogue.tables(sql, policy), policy)));
    }

    public Report<List<IndexFinding>> indexes(ClusterId id, String node) {
        return read(id, node, sql -> IndexAdvisor.findings(Catalogue.indexes(sql)));
    }

    public Report<Bloat> bloat(ClusterId id, String node) {
        long min = policies.config().minBloatBytes();
        return read(
                id,
                node,
                sql -> new Bloat(
                        "estimate from pg_class.reltuples and pg_stats.avg_width (tables and B-tree indexes without"
                                + " expressions, with statistics, at least " + min + " bytes of bloat)",
                        BloatEstimate.ranked(Catalogue.bloatFacts(sql), min),
                        IndexBloatEstimate.ranked(Catalogue.indexBloatFacts(sql), min)));
    }

    public Report<WorkMemAdvice> workMem(ClusterId id, String node) {
        long cap = policies.config().maxWorkMemBytes();
        return read(id, node, sql -> {
            var r = sql.query(Queries.TEMP_FILES).iterator().next();
            return WorkMemAdvice.of(r.getLong(0), r.getLong(1), r.getLong(2), r.getInteger(3), cap);
        });
    }

    public Report<Connections> connections(ClusterId id, String node) {
        return read(id, node, sql -> {
            List<ConnectionGroup> groups = sql.list(
                    Queries.CONNECTIONS,
                    r -> new ConnectionGroup(
                            r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getInteger(4)));
            int max = sql.query(Queries.MAX_CONNECTIONS).iterator().next().getInteger(0);
            return new Connections(
                    groups.stream().mapToInt(ConnectionGroup::count).sum(), max, groups);
        });
    }

    public Report<List<BlockingTree.Node>> blocking(ClusterId id, String node) {
        return read(
                id,
                node,
                sql -> BlockingTree.of(sql.list(
                        Queries.BLOCKING,
                        r -> new BlockingTree.Session(
                                r.getInteger(0),
                                Arrays.asList(r.getArrayOfIntegers(1)),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                r.getString(5),
                                r.getLong(6),
                                Redaction.statement(r.getString(7))))));
    }

    public Report<List<TopQuery>> topQueries(ClusterId id, String node) {
        int limit = policies.config().topQueries();
        return read(id, node, sql -> {
            var schema = sql.list(Queries.STATEMENTS_SCHEMA, r -> r.getString(0));
            if (schema.isEmpty()) {
                throw new ExtensionMissing("pg_stat_statements is not installed in database '"
                        + nodes.database(id) + "' on " + sql.node().value()
                        + ": CREATE EXTENSION pg_stat_statements (it also needs shared_preload_libraries)");
            }
            String view = new ObjectName(schema.getFirst(), "pg_stat_statements").quoted();
            try {
                return sql.list(
                        Queries.TOP_QUERIES.formatted(view),
                        r -> new TopQuery(
                                r.getLong(0),
                                Redaction.statement(r.getString(1)),
                                r.getLong(2),
                                r.getDouble(3),
                                r.getDouble(4),
                                r.getLong(5),
                                r.getDouble(6),
                                r.getString(7),
                                r.getString(8)),
                        (long) limit);
            } catch (NodeSql.SqlFailure e) {
                if ("55000".equals(e.sqlState())) {
                    throw new ExtensionMissing("pg_stat_statements is installed but not loaded on "
                            + sql.node().value() + ": " + e.getMessage());
                }
                throw e;
            }
        });
    }

    private <T> Report<T> read(ClusterId id, String node, Function<NodeSql, T> body) {
        long start = System.nanoTime();
        Instant at = clock.instant();
        try (NodeSql sql = nodes.nodeOrPrimary(id, node, policies.config().reportTimeout())) {
            T b = body.apply(sql);
            return new Report<>(
                    id.value(), sql.node().value(), nodes.database(id), at, (System.nanoTime() - start) / 1_000_000, b);
        }
    }
}
