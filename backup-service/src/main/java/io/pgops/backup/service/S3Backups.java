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
 * removes it afterwards. The backup-service copies its WAL archive into the bucket too ({@code
 * <prefix>/<cluster>/wal/}, {@link WalShipper}); a restore by the command line downloads that copy into the staging
 * directory and replays it to the target (the service replays its own archive).
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
        // the command line elsewhere has no local archive: the bucket's copy of it comes into staging first (the
        // service replays its own archive, which the copy was made from)
        Path localWal = staging.layout().wal(r.cluster());
        boolean walFromBucket =
                staging.layout().walRoot().equals(staging.layout().root());
        if (walFromBucket) {
            try {
                int n = s3.downloadWal(r.cluster(), localWal);
                // the restored server's restore_command reads it as PostgreSQL's account
                staging.pgUser().own(localWal);
                traversable(staging.layout().root());
                traversable(staging.layout().cluster(r.cluster()));
                progress.accept(
                        n == 0
                                ? "the bucket holds no WAL archive of " + r.cluster()
                                        + ": replay ends with the backup's own WAL"
                                : n + " WAL archive file(s) downloaded from " + s3.location() + " into " + localWal);
            } catch (IOException | RuntimeException e) {
                throw new BackupFailure(
                        "fetch", "cannot download the WAL archive from " + s3.location() + ": " + e.getMessage(), "");
            }
        }
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
        boolean done = false;
        try {
            PointInTimeRestore.Outcome o = staging.restore(
                    new PointInTimeRestore.Request(
                            r.cluster(),
                            r.dataDir(),
                            Optional.of(chosen.id().value()),
                            r.target(),
                            r.inclusive(),
                            r.port(),
                            r.timeout()),
                    progress);
            done = true;
            return o;
        } finally {
            Trees.delete(dir);
            if (walFromBucket && (r.port().isPresent() || !done)) {
                Trees.delete(localWal); // a started server has replayed it; a failed restore needs it no more
            } else if (walFromBucket) {
                progress.accept("the restored directory's restore_command reads " + localWal
                        + ": keep it until the server has recovered");
            }
        }
    }

    /** Lets other accounts pass through a directory (not list it): PostgreSQL's reaches the WAL below it. */
    private static void traversable(Path dir) throws IOException {
        java.util.Set<java.nio.file.attribute.PosixFilePermission> p = java.nio.file.Files.getPosixFilePermissions(dir);
        p.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
        p.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        java.nio.file.Files.setPosixFilePermissions(dir, p);
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
