package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.WalGaps;
import io.pgops.events.model.ClusterId;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The one engine behind both the backup service and {@code bin/pgops backup}: take a full physical backup into a
 * filesystem repository, list the repository's catalogue, verify a backup (manifest check, then the restore
 * drill). Plain Java, no framework: the command line builds it with {@code new}.
 */
public final class BackupEngine implements Backups {
    private final BaseBackup base;
    private final Verifier verifier;
    private final RepositoryLayout layout;
    private final Catalogue catalogue;
    private final PgBinaries bin;
    private final OsUser pgUser;

    /**
     * @param repository the repository's directory (created mode 711 when missing: traversable for the PostgreSQL
     *     account's scratch copies, not listable; each cluster's directory below is 700)
     * @param toolTimeout how long pg_basebackup may run
     */
    public BackupEngine(PgBinaries bin, OsUser pgUser, RepositoryLayout repository, Duration toolTimeout) {
        this(bin, pgUser, repository, toolTimeout, 1);
    }

    /** @param compressWorkers threads the source server compresses zstd in ({@link BaseBackup}) */
    public BackupEngine(
            PgBinaries bin, OsUser pgUser, RepositoryLayout repository, Duration toolTimeout, int compressWorkers) {
        this.layout = repository;
        this.bin = bin;
        this.pgUser = pgUser;
        this.catalogue = new Catalogue(repository);
        this.base = new BaseBackup(bin, toolTimeout, compressWorkers);
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

    /** The account PostgreSQL's tools run as (a restored server reads its WAL archive as it). */
    public OsUser pgUser() {
        return pgUser;
    }

    public RepositoryLayout layout() {
        return layout;
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    @Override
    public BackupRepository repository() {
        return catalogue;
    }

    @Override
    public Taken take(
            Source source,
            BackupId id,
            Compression compression,
            boolean fastCheckpoint,
            BaseBackup.Identity identity,
            boolean verify,
            boolean drill,
            String drillUser)
            throws BackupFailure {
        CatalogueEntry entry = take(source, id, compression, fastCheckpoint, identity);
        if (!verify) {
            return new Taken(entry, null);
        }
        Verifier.Outcome o = verify(entry, drill, drillUser);
        return new Taken(entry.withVerification(o.last()), o);
    }

    @Override
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
    @Override
    public Verifier.Outcome verify(CatalogueEntry entry, boolean drill, String drillUser) {
        Verifier.Outcome o = verifier.verify(layout, entry, drill, drillUser);
        catalogue.update(entry.withVerification(o.last()));
        return o;
    }

    /** Point-in-time restore into a new data directory from this repository's backups and WAL archive. */
    @Override
    public PointInTimeRestore.Outcome restore(PointInTimeRestore.Request request, Consumer<String> progress)
            throws BackupFailure {
        return new PointInTimeRestore(bin, pgUser).restore(layout, catalogue, request, progress);
    }

    /** What a cluster's WAL archive covers from its oldest usable backup on, and its gaps. */
    public WalGaps.Report walCheck(ClusterId cluster, long segmentSize) {
        try {
            return WalArchive.check(layout.wal(cluster), catalogue.list(cluster), segmentSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the WAL archive " + layout.wal(cluster), e);
        }
    }

    /**
     * A WAL receiver for a cluster's archive ({@code <repo>/<cluster>/wal}, its log beside it); it starts
     * streaming once told whom to {@link WalReceiver#follow follow}.
     */
    public WalReceiver walReceiver(ClusterId cluster, WalReceiver.Settings settings) {
        return new WalReceiver(
                bin, pgUser, layout.wal(cluster), layout.cluster(cluster).resolve(".pg_receivewal.log"), settings);
    }

    /** The repository directory a cluster's backups are in. */
    public Path clusterDirectory(ClusterId cluster) {
        return layout.cluster(cluster);
    }
}
