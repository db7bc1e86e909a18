package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.RestorePlan;
import io.pgops.backup.domain.S3Layout;
import io.pgops.backup.domain.WalSegment;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Backups in an S3-compatible repository. PostgreSQL's tools read and write files, so each operation goes through
 * a local staging repository (a {@link BackupEngine} on a directory): a backup is taken there, verified there
 * before it is uploaded (the catalogue object records that verification), uploaded with its catalogue object last
 * and then removed locally; a verification or a restore downloads the backup into the staging directory first and
 * removes it afterwards. Only backups go to S3: the WAL archive stays on a filesystem repository, so a restore from
 * S3 replays the WAL the backup carries ({@code pg_wal.tar}) and a later target is not reached.
 */
public final class S3Backups implements Backups {
    private final BackupEngine staging;
    private final S3Repository s3;

    public S3Backups(BackupEngine staging, S3Repository s3) {
        this.staging = staging;
        this.s3 = s3;
    }

    /**
     * A filesystem repository at {@code repository} whose backups are encrypted at rest: the same catalogue, encryption
     * and staging as an S3 repository, over a {@link DirectoryStore}. Backups are taken and verified in {@code
     * staging} (plain, mode 700, removed afterwards), then stored encrypted as {@code <repository>/<cluster>/<id>/},
     * {@code backup.json} last; verifications and restores decrypt into {@code staging} first (a wrong key or an
     * altered byte refused before anything is unpacked), and restores replay the repository's own WAL archive.
     *
     * @param key new backups are encrypted with it and encrypted ones decrypted; empty: backups are stored plain and
     *     an encrypted one is refused with the id of the key it needs
     */
    public static S3Backups directory(
            PgBinaries bin,
            OsUser pgUser,
            Path repository,
            Path staging,
            Duration toolTimeout,
            Optional<EncryptionKey> key) {
        return directory(bin, pgUser, repository, staging, toolTimeout, key, 1);
    }

    /** As above, zstd compressed in {@code compressWorkers} threads on the source server. */
    public static S3Backups directory(
            PgBinaries bin,
            OsUser pgUser,
            Path repository,
            Path staging,
            Duration toolTimeout,
            Optional<EncryptionKey> key,
            int compressWorkers) {
        Path repo = repository.toAbsolutePath().normalize();
        Path stage = staging.toAbsolutePath().normalize();
        if (stage.startsWith(repo) || repo.startsWith(stage)) {
            throw new IllegalArgumentException("the staging directory " + stage + " must lie outside the repository "
                    + repo + " (it holds plain copies)");
        }
        BackupEngine engine =
                new BackupEngine(bin, pgUser, new RepositoryLayout(stage, repo), toolTimeout, compressWorkers);
        return new S3Backups(
                engine, new S3Repository(S3Layout.directory(), new DirectoryStore(repo), key, repo.toString()));
    }

    @Override
    public S3Repository repository() {
        return s3;
    }

    @Override
    public BaseBackup.Identity identify(Source source) throws BackupFailure {
        return staging.identify(source);
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
        Taken local = staging.take(source, id, compression, fastCheckpoint, identity, verify, drill, drillUser);
        Path dir = staging.layout().backup(source.cluster(), id);
        try {
            return new Taken(s3.upload(dir, local.entry()), local.verification());
        } catch (IOException | RuntimeException e) {
            throw new BackupFailure(
                    "store",
                    "the upload to " + s3.location() + " failed (nothing was catalogued): " + e.getMessage(),
                    "");
        } finally {
            Trees.delete(dir);
        }
    }

    @Override
    public Verifier.Outcome verify(CatalogueEntry entry, boolean drill, String drillUser) throws BackupFailure {
        Path dir = stage(entry);
        try {
            Verifier.Outcome o = staging.verify(entry, drill, drillUser);
            s3.update(entry.withVerification(o.last()));
            return o;
        } finally {
            Trees.delete(dir);
        }
    }

    @Override
    public PointInTimeRestore.Outcome restore(PointInTimeRestore.Request r, Consumer<String> progress)
            throws BackupFailure {
        RestorePlan plan;
        try {
            plan = RestorePlan.decide(
                    s3.list(r.cluster()),
                    r.backupId(),
                    r.target(),
                    r.inclusive(),
                    staging.layout().wal(r.cluster()).toString(),
                    WalSegment.DEFAULT_SIZE);
        } catch (IllegalArgumentException e) {
            throw new BackupFailure("plan", e.getMessage(), "");
        }
        CatalogueEntry chosen = plan.backup();
        progress.accept(
                "downloading " + chosen.id() + " from " + s3.location() + " (" + chosen.storedBytes() + " bytes)");
        Path dir = stage(chosen);
        try {
            return staging.restore(
                    new PointInTimeRestore.Request(
                            r.cluster(),
                            r.dataDir(),
                            Optional.of(chosen.id().value()),
                            r.target(),
                            r.inclusive(),
                            r.port(),
                            r.timeout()),
                    progress);
        } finally {
            Trees.delete(dir);
        }
    }

    /** Downloads a backup into the staging repository, where the engine finds it under its id. */
    private Path stage(CatalogueEntry entry) throws BackupFailure {
        Path dir = staging.layout().backup(entry.cluster(), entry.id());
        try {
            s3.download(entry, dir);
            return dir;
        } catch (IOException | RuntimeException e) {
            Trees.delete(dir);
            throw new BackupFailure(
                    "fetch", "cannot download " + entry.id() + " from " + s3.location() + ": " + e.getMessage(), "");
        }
    }
}
