package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import java.util.function.Consumer;

/**
 * What an operator does with a repository, whatever kind it is: take a backup into it, list it, verify a backup,
 * restore from it. {@link BackupEngine} on a directory; {@link S3Backups} on an S3-compatible bucket (through a
 * local staging directory, since PostgreSQL's tools read and write files).
 */
public interface Backups {
    /** The repository's catalogue. */
    BackupRepository repository();

    BaseBackup.Identity identify(Source source) throws BackupFailure;

    /** A backup taken, with its verification when one was asked for (null otherwise). */
    record Taken(CatalogueEntry entry, Verifier.Outcome verification) {}

    /**
     * Takes a full backup into the repository and, when {@code verify}, verifies it (with the restore drill when
     * {@code drill}); the catalogue records the verification's last word.
     */
    Taken take(
            Source source,
            BackupId id,
            Compression compression,
            boolean fastCheckpoint,
            BaseBackup.Identity identity,
            boolean verify,
            boolean drill,
            String drillUser)
            throws BackupFailure;

    /** Verifies a catalogued backup and records the last word in the catalogue. */
    Verifier.Outcome verify(CatalogueEntry entry, boolean drill, String drillUser) throws BackupFailure;

    /** Point-in-time restore into a new data directory. */
    PointInTimeRestore.Outcome restore(PointInTimeRestore.Request request, Consumer<String> progress)
            throws BackupFailure;
}
