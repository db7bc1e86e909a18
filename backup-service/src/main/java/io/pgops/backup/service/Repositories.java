package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.S3Layout;
import io.pgops.backup.domain.S3Location;
import io.pgops.events.model.ClusterId;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the service reaches a filesystem repository: the plain engine, or, when {@code pgops.backup.encryption-key}
 * names a key, the same encrypted path as the command line's {@code --encryption-key} ({@link S3Backups#directory}):
 * taken and verified in {@code pgops.backup.staging}, stored encrypted. The key is read once, at start, from its
 * reference; a reference that does not give a 32-byte key stops the start with the reason (never the key).
 *
 * <p>With {@code pgops.backup.s3.location} the physical backups live in an S3-compatible bucket instead ({@link
 * S3Backups}: taken in the staging directory, uploaded with the catalogue object last, downloaded again to be
 * verified, drilled or restored); the WAL archive is written under the repository root, which a restore by the
 * service replays, and copied into the bucket ({@link WalShipper}); the logical dumps stay under the root. The
 * client is built once, at start: missing credentials stop the start with where they were looked for (never a key).
 */
@Startup
@ApplicationScoped
public class Repositories {
    private final BackupConfig config;
    private final Optional<EncryptionKey> key;
    private final Optional<S3Repository> s3;
    private final Optional<S3Store> s3Store;

    public Repositories(BackupConfig config) {
        this.config = config;
        try {
            this.key = config.encryptionKey().map(r -> EncryptionKey.fromReference(r, System.getenv()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("pgops.backup.encryption-key: " + e.getMessage());
        }
        Optional<String> where = config.s3().location();
        if (where.isEmpty()) {
            this.s3Store = Optional.empty();
            this.s3 = Optional.empty();
            return;
        }
        S3Location location;
        S3Store store;
        try {
            location = S3Location.parse(where.get());
            BackupConfig.S3 c = config.s3();
            S3Settings settings = new S3Settings(
                    c.endpoint(),
                    c.region(),
                    c.pathStyle(),
                    c.credentialsFile().map(Path::of),
                    c.partSizeMib() * 1024L * 1024L,
                    c.parallelParts());
            store = new S3Store(location, settings, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("pgops.backup.s3: " + e.getMessage());
        }
        Path stage = Path.of(config.staging()).toAbsolutePath().normalize();
        Path root = Path.of(config.repositoryRoot()).toAbsolutePath().normalize();
        if (stage.startsWith(root) || root.startsWith(stage)) {
            store.close();
            throw new IllegalStateException("pgops.backup.staging " + stage + " must lie outside the repository root "
                    + root + " (the WAL archive stays there; staging holds plain copies that are removed)");
        }
        this.s3Store = Optional.of(store);
        this.s3 = Optional.of(new S3Repository(new S3Layout(location), store, key, location.toString()));
    }

    /** Whether the physical backups live in an S3-compatible bucket ({@code pgops.backup.s3.location}). */
    public boolean inBucket() {
        return s3.isPresent();
    }

    /**
     * The catalogue of the physical backups for {@code layout}: the bucket's when the backups live in one, else the
     * directory's.
     */
    public BackupRepository catalogue(RepositoryLayout layout) {
        return s3.<BackupRepository>map(r -> r).orElseGet(() -> new Catalogue(layout));
    }

    /** Where the physical backups for {@code layout} are, as events and answers name it. */
    public String location(RepositoryLayout layout) {
        return s3.map(S3Repository::location).orElseGet(() -> layout.root().toString());
    }

    /**
     * Takes {@code e} out of the catalogue first (it is never listed half deleted), then deletes its files: in a
     * directory one rename then the files; in a bucket the catalogue object, then the backup's objects.
     */
    public void delete(RepositoryLayout layout, CatalogueEntry e) {
        if (s3.isPresent()) {
            s3.get().delete(e);
        } else {
            Catalogue.delete(layout, e);
        }
    }

    /** The bucket the backups (and the WAL archive's copy) live in, if one is configured. */
    public Optional<S3Repository> bucket() {
        return s3;
    }

    /** Deletes the bucket's copies of WAL archive files retention removed locally; nothing without a bucket. */
    public void deleteWalCopies(ClusterId cluster, List<String> fileNames) {
        s3.ifPresent(r -> r.deleteWal(cluster, fileNames));
    }

    @PreDestroy
    void close() {
        s3Store.ifPresent(S3Store::close);
    }

    /**
     * The logical dump engine over the configured repository, {@code pg_dump} running at most {@code toolTimeout}:
     * dumps encrypted with the key when one is configured (plain only in a scratch directory under the staging one).
     */
    public LogicalDump logicalDumps(Duration toolTimeout) {
        return new LogicalDump(
                PgBinaries.locate(),
                RepositoryLayout.within(Path.of(config.repositoryRoot()), null),
                toolTimeout,
                config.preMigration().lockWaitTimeout(),
                key,
                Path.of(config.staging()));
    }

    /** The id of the key new backups are encrypted with, if any. */
    public Optional<String> keyId() {
        return key.map(EncryptionKey::id);
    }

    /**
     * Backups in the repository at {@code layout}: encrypted when a key is configured; in the bucket when one is
     * configured (encrypted there with the key, if any).
     */
    public Backups backups(RepositoryLayout layout) {
        if (s3.isPresent()) {
            // staged beside the repository root, whose WAL archive a restore from the bucket replays
            BackupEngine staging = new BackupEngine(
                    PgBinaries.locate(),
                    OsUser.forPostgres(),
                    new RepositoryLayout(
                            Path.of(config.staging()).toAbsolutePath().normalize(), layout.root()),
                    config.toolTimeout(),
                    config.compressWorkers());
            return new S3Backups(staging, s3.get());
        }
        if (key.isEmpty()) {
            return new BackupEngine(
                    PgBinaries.locate(), OsUser.forPostgres(), layout, config.toolTimeout(), config.compressWorkers());
        }
        return S3Backups.directory(
                PgBinaries.locate(),
                OsUser.forPostgres(),
                layout.root(),
                Path.of(config.staging()),
                config.toolTimeout(),
                key,
                config.compressWorkers());
    }
}
