package io.pgops.maintenance.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * What an instance does with a pending migration it claimed ({@code pgops_ledger.pending_migrations}): one it holds is
 * only touched (its row removed if it is over here and the row outlived it); one it does not hold was left by an
 * instance that stopped — its script was running then: found in the ledger with its checksum it was applied, else it
 * failed (the session ended, PostgreSQL rolled its transaction back); it was waiting for its dump: past its deadline it
 * fails as it would have, else it asks for the dump again and waits out the rest of its deadline. Pure.
 */
public final class PendingMigration {
    private PendingMigration() {}

    public enum Action {
        /** Held here and going on: the claim only touched it. */
        HELD,
        /** Over here; its row outlived it: remove the row. */
        REMOVE,
        /** Committed before its instance stopped: record it as applied, remove the row. */
        APPLIED,
        /** Its script was interrupted: fail it. */
        FAIL,
        /** Still waiting for its dump: ask for the dump again and wait. */
        RESUME
    }

    /** What to do, and why in words. */
    public record Decision(Action action, String reason) {}

    /**
     * @param held whether this instance holds the migration in memory
     * @param heldDone whether that migration is over here
     * @param state the row's state ({@code requested}, {@code backing-up} or {@code applying})
     * @param ledgerChecksum the checksum of the ledger's row of its version; null when the ledger has none
     * @param checksum the migration's own checksum
     */
    public static Decision decide(
            boolean held,
            boolean heldDone,
            String state,
            String ledgerChecksum,
            String checksum,
            Instant requestedAt,
            Instant now,
            Duration backupTimeout) {
        if (held) {
            return heldDone
                    ? new Decision(Action.REMOVE, "over here; its pending row outlived it")
                    : new Decision(Action.HELD, "held here");
        }
        if (MigrationState.APPLYING.code().equals(state)) {
            if (checksum.equals(ledgerChecksum)) {
                return new Decision(
                        Action.APPLIED, "its script had committed before its instance stopped (it is in the ledger)");
            }
            return new Decision(
                    Action.FAIL, "the instance running its script stopped before it committed; nothing was recorded");
        }
        if (!now.isBefore(requestedAt.plus(backupTimeout))) {
            return new Decision(
                    Action.FAIL,
                    "pre-migration backup did not complete in " + backupTimeout.toSeconds()
                            + " s (its instance stopped meanwhile); nothing was run");
        }
        return new Decision(Action.RESUME, "waiting for its pre-migration dump: asked for again");
    }
}
