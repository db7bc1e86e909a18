package io.pgops.backup.service;

import io.pgops.backup.config.BackupConfig;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the service reaches a filesystem repository: the plain engine, or, when {@code pgops.backup.encryption-key}
 * names a key, the same encrypted path as the command line's {@code --encryption-key} ({@link S3Backups#directory}):
 * taken and verified in {@code pgops.backup.staging}, stored encrypted. The key is read once, at start, from its
 * reference; a reference that does not give a 32-byte key stops the start with the reason (never the key).
 */
@Startup
@ApplicationScoped
public class Repositories {
    private final BackupConfig config;
    private final Optional<EncryptionKey> key;

    public Repositories(BackupConfig config) {
        this.config = config;
        try {
            this.key = config.encryptionKey().map(r -> EncryptionKey.fromReference(r, System.getenv()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("pgops.backup.encryption-key: " + e.getMessage());
        }
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

    /** Backups in the repository at {@code layout}: encrypted when a key is configured. */
    public Backups backups(RepositoryLayout layout) {
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
