package io.pgops.events.backup;

import java.util.Set;

/** The kinds of backup. */
public final class BackupKind {
    /** A base backup of the data directory ({@code pg_basebackup}); with archived WAL it allows PITR. */
    public static final String PHYSICAL = "physical";
    /** A dump of the databases ({@code pg_dump} per database, {@code pg_dumpall --globals-only}). */
    public static final String LOGICAL = "logical";

    public static final Set<String> ALL = Set.of(PHYSICAL, LOGICAL);

    private BackupKind() {}
}
