package io.pgops.backup.domain;

import io.pgops.events.model.ClusterId;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where backups live in an S3 repository: {@code <prefix>/<cluster>/<backup-id>/<file>} for the data archive,
 * {@code pg_wal.tar} and {@code backup_manifest}, and {@code <prefix>/<cluster>/<backup-id>/backup.json}, the
 * catalogue object, uploaded last. Object stores have no rename, so completeness is the catalogue object itself:
 * a backup is in the catalogue only when its {@code backup.json} exists, and objects of a backup without one are
 * an upload that has not finished (or died) and are never listed. The copy of the cluster's WAL archive lies beside
 * its backups, {@code <prefix>/<cluster>/wal/<file>} ({@code wal} is never a backup id).
 */
public record S3Layout(S3Location location) {

    /**
     * The layout of keys relative to a directory ({@code <cluster>/<backup-id>/<file>}, as a filesystem repository
     * lays out its backups): no prefix; the bucket is a placeholder a directory store never reads.
     */
    public static S3Layout directory() {
        return new S3Layout(new S3Location("directory", ""));
    }

    /** The key prefix of everything of {@code cluster}, ending with a slash. */
    public String cluster(ClusterId cluster) {
        return base() + cluster.value() + "/";
    }

    /** The key prefix of one backup's objects, ending with a slash. */
    public String backup(ClusterId cluster, BackupId id) {
        return cluster(cluster) + id.value() + "/";
    }

    /** The key of one stored file of a backup. */
    public String object(ClusterId cluster, BackupId id, String file) {
        if (file.isEmpty() || file.contains("/") || file.startsWith(".")) {
            throw new IllegalArgumentException("'" + file + "' is not a stored file's name");
        }
        return backup(cluster, id) + file;
    }

    /** The key prefix of the cluster's WAL archive copy, ending with a slash. */
    public String wal(ClusterId cluster) {
        return cluster(cluster) + RepositoryLayout.WAL + "/";
    }

    /** The key of one WAL archive object: a segment or a history file, as {@link WalShipping#objectName} names it. */
    public String walObject(ClusterId cluster, String objectName) {
        if (!objectName.matches("([0-9A-F]{24}(\\.(gz|lz4|zst))?|[0-9A-F]{8}\\.history)(\\.gcm)?")) {
            throw new IllegalArgumentException("'" + objectName + "' is not a WAL archive file's name");
        }
        return wal(cluster) + objectName;
    }

    /** The catalogue object, whose existence makes the backup complete. */
    public String catalogue(ClusterId cluster, BackupId id) {
        return backup(cluster, id) + CatalogueEntry.FILE;
    }

    /** The prefix under which every cluster's prefix lies: the repository's prefix and a slash, or nothing. */
    public String base() {
        return location.prefix().isEmpty() ? "" : location.prefix() + "/";
    }

    /** The backups of {@code cluster} whose catalogue object is among {@code keys}, oldest first. */
    public List<BackupId> complete(ClusterId cluster, Collection<String> keys) {
        Set<BackupId> out = new TreeSet<>();
        for (String key : keys) {
            BackupId id = backupOf(cluster, key);
            if (id != null && key.equals(catalogue(cluster, id))) {
                out.add(id);
            }
        }
        return List.copyOf(out);
    }

    /** The backups of {@code cluster} that have objects among {@code keys} but no catalogue object: unfinished. */
    public List<BackupId> unfinished(ClusterId cluster, Collection<String> keys) {
        Set<BackupId> out = new TreeSet<>();
        for (String key : keys) {
            BackupId id = backupOf(cluster, key);
            if (id != null) {
                out.add(id);
            }
        }
        out.removeAll(complete(cluster, keys));
        return List.copyOf(out);
    }

    /** The cluster a common prefix {@code <prefix>/<cluster>/} names, or null when it names none. */
    public ClusterId clusterOf(String commonPrefix) {
        if (!commonPrefix.startsWith(base()) || !commonPrefix.endsWith("/")) {
            return null;
        }
        String name = commonPrefix.substring(base().length(), commonPrefix.length() - 1);
        return name.matches(ClusterId.PATTERN) ? ClusterId.of(name) : null;
    }

    /**
     * The backup a child prefix {@code <prefix>/<cluster>/<backup-id>/} names, or null (the WAL copy, anything else).
     */
    public BackupId backupIn(ClusterId cluster, String childPrefix) {
        return backupOf(cluster, childPrefix);
    }

    private BackupId backupOf(ClusterId cluster, String key) {
        String c = cluster(cluster);
        if (!key.startsWith(c)) {
            return null;
        }
        String rest = key.substring(c.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || !RepositoryLayout.isBackupDirectory(rest.substring(0, slash))) {
            return null;
        }
        return BackupId.of(rest.substring(0, slash));
    }
}
