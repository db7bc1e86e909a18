package io.pgops.maintenance.service;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Where a shared confirmation token is taken once across instances: {@code pgops_ledger.emergency_tokens} in the
 * cluster's primary (its default database), one row per token taken, the token's nonce the primary key. Every instance
 * that holds the shared key confirms against the same primary, so the first {@code INSERT} wins and any other — at
 * another instance, or at this one after a restart — finds the row. In the cluster and not in a store of the service's
 * own (it has none), as the migrations' ledger; the row replicates to the standbys, so a failover keeps it. Rows are
 * deleted a day after their token expired. Nothing in the schema is granted to PUBLIC.
 */
final class EmergencyTokenLedger {
    static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS pgops_ledger.emergency_tokens ("
            + " nonce text PRIMARY KEY,"
            + " cluster text NOT NULL,"
            + " node text NOT NULL,"
            + " action text NOT NULL,"
            + " taken_by text NOT NULL,"
            + " taken_at timestamptz NOT NULL DEFAULT now(),"
            + " expires_at timestamptz NOT NULL)";
    static final String PRUNE = "DELETE FROM pgops_ledger.emergency_tokens WHERE expires_at < now() - interval '1 day'";
    static final String CLAIM = "INSERT INTO pgops_ledger.emergency_tokens (nonce, cluster, node, action, taken_by,"
            + " expires_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (nonce) DO NOTHING RETURNING taken_at";
    static final String TAKEN = "SELECT taken_by, taken_at FROM pgops_ledger.emergency_tokens WHERE nonce = $1";

    private EmergencyTokenLedger() {}

    /** Who took a token first, and when. */
    record Taken(String by, OffsetDateTime at) {}

    /**
     * Records that {@code instance} takes the token now; empty if it is the first to, else who took it before.
     * Creates the ledger if missing (two instances creating it at once: the loser's {@code IF NOT EXISTS} fails on
     * the catalogue's unique index, and it tries once more).
     */
    static Optional<Taken> claim(NodeSql sql, EmergencyTokens.Taken token, String instance) {
        try {
            return claimOnce(sql, token, instance);
        } catch (NodeSql.SqlFailure e) {
            if (!"23505".equals(e.sqlState()) && !"42P06".equals(e.sqlState()) && !"42P07".equals(e.sqlState())) {
                throw e;
            }
            return claimOnce(sql, token, instance);
        }
    }

    private static Optional<Taken> claimOnce(NodeSql sql, EmergencyTokens.Taken token, String instance) {
        sql.execute(MigrationLedger.CREATE_SCHEMA);
        sql.execute(CREATE_TABLE);
        sql.execute(PRUNE);
        EmergencyTokens.Issued i = token.issued();
        List<OffsetDateTime> inserted = sql.list(
                CLAIM,
                (Row r) -> r.getOffsetDateTime(0),
                token.nonce(),
                i.cluster(),
                i.node(),
                i.criteria().action().code(),
                instance,
                OffsetDateTime.ofInstant(i.expiresAt(), ZoneOffset.UTC));
        if (!inserted.isEmpty()) {
            return Optional.empty();
        }
        return sql.list(TAKEN, (Row r) -> new Taken(r.getString(0), r.getOffsetDateTime(1)), token.nonce()).stream()
                .findFirst()
                .or(() -> Optional.of(new Taken("another instance", null))); // its row pruned since: expired long ago
    }
}
