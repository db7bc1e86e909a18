package io.pgops.backup.domain;

import io.pgops.events.model.ClusterId;
import java.nio.file.Path;

/**
 * Where backups live in a filesystem repository: {@code <root>/<cluster>/<backup-id>/}, written first under
 * {@code <root>/<cluster>/.partial-<backup-id>/} and renamed only once complete, so a half backup never carries
 * a backup's name.
 *
 * @param root the repository's directory (absolute, normalised)
 * @param walRoot where the clusters' WAL archives are ({@code <walRoot>/<cluster>/wal/}): {@code root}, except for
 *     the staging directory of an encrypted repository, whose restores replay the repository's own (plain) archive
 */
public record RepositoryLayout(Path root, Path walRoot) {
    public static final String PARTIAL_PREFIX = ".partial-";
    /** The WAL archive's directory name inside a cluster's directory (never a backup id). */
    public static final String WAL = "wal";
    /** The logical dumps' directory name inside a cluster's directory (never a backup id). */
    public static final String DUMPS = "dumps";

    public RepositoryLayout {
        root = root.toAbsolutePath().normalize();
        walRoot = walRoot.toAbsolutePath().normalize();
    }

    public RepositoryLayout(Path root) {
        this(root, root);
    }

    /**
     * The repository at {@code requested} if it lies inside {@code allowedRoot} (the configured root); a path
     * that leaves it (absolute elsewhere, or {@code ..}) is refused.
     */
    public static RepositoryLayout within(Path allowedRoot, String requested) {
        Path root = allowedRoot.toAbsolutePath().normalize();
        if (requested == null || requested.isBlank()) {
            return new RepositoryLayout(root);
        }
        Path p = root.resolve(requested).toAbsolutePath().normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException(
                    "repository " + requested + " lies outside the configured repository root " + root);
        }
        return new RepositoryLayout(p);
    }

    public Path cluster(ClusterId cluster) {
        return root.resolve(cluster.value());
    }

    public Path backup(ClusterId cluster, BackupId id) {
        return cluster(cluster).resolve(id.value());
    }

    /** The cluster's WAL archive, which pg_receivewal streams into: {@code <root>/<cluster>/wal/}. */
    public Path wal(ClusterId cluster) {
        return walRoot.resolve(cluster.value()).resolve(WAL);
    }

    /** The cluster's logical dumps: {@code <root>/<cluster>/dumps/<dump-id>/} (never a backup id). */
    public Path dumps(ClusterId cluster) {
        return cluster(cluster).resolve(DUMPS);
    }

    public Path dump(ClusterId cluster, BackupId id) {
        return dumps(cluster).resolve(id.value());
    }

    public Path dumpPartial(ClusterId cluster, BackupId id) {
        return dumps(cluster).resolve(PARTIAL_PREFIX + id.value());
    }

    public Path partial(ClusterId cluster, BackupId id) {
        return cluster(cluster).resolve(PARTIAL_PREFIX + id.value());
    }

    /** Whether a directory name is a complete backup's (not a partial one, not anything else). */
    public static boolean isBackupDirectory(String name) {
        return !name.startsWith(".") && name.matches(BackupId.PATTERN);
    }
}
