package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * The one engine behind both the backup service and {@code bin/pgops backup}: take a full physical backup into a
 * filesystem repository, list the repository's catalogue, verify a backup (manifest check, then the restore
 * drill). Plain Java, no framework: the command line builds it with {@code new}.
 */
public final class BackupEngine {
    private final BaseBackup base;
    private final Verifier verifier;
    private final RepositoryLayout layout;
    private final Catalogue catalogue;

    /**
     * @param repository the repository's directory (created mode 711 when missing: traversable for the PostgreSQL
     *     account's scratch copies, not listable; each cluster's directory below is 700)
     * @param toolTimeout how long pg_basebackup may run
     */
    public BackupEngine(PgBinaries bin, OsUser pgUser, RepositoryLayout repository, Duration toolTimeout) {
        this.layout = repository;
        this.catalogue = new Catalogue(repository);
        this.base = new BaseBackup(bin, toolTimeout);
        this.verifier = new Verifier(bin, pgUser, repository.root().resolve(".scratch"));
        try {
            if (!Files.isDirectory(repository.root())) {
                Files.createDirectories(repository.root());
                Files.setPosixFilePermissions(repository.root(), PosixFilePermissions.fromString("rwx--x--x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the repository " + repository.root(), e);
        }
    }

    public RepositoryLayout layout() {
        return layout;
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    public BaseBackup.Identity identify(Source source) throws BackupFailure {
        return base.identify(source);
    }

    public CatalogueEntry take(
            Source source, BackupId id, Compression compression, boolean fastCheckpoint, BaseBackup.Identity identity)
            throws BackupFailure {
        return base.take(layout, source, id, compression, fastCheckpoint, identity);
    }

    /**
     * Verifies a catalogued backup (and runs the restore drill when {@code drill}), records the last word in the
     * catalogue and returns both checks.
     *
     * @param drillUser a role of the backed-up cluster that may log in; the drill asks it for the superuser's name
     */
    public Verifier.Outcome verify(CatalogueEntry entry, boolean drill, String drillUser) {
        Verifier.Outcome o = verifier.verify(layout, entry, drill, drillUser);
        catalogue.update(entry.withVerification(o.last()));
        return o;
    }

    /** The repository directory a cluster's backups are in. */
    public Path clusterDirectory(io.pgops.events.model.ClusterId cluster) {
        return layout.cluster(cluster);
    }
}
