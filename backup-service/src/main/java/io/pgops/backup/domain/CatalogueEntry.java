package io.pgops.backup.domain;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Timeline;
import java.time.Instant;
import java.util.List;

/**
 * One backup in the catalogue: the {@code backup.json} beside its files. A backup directory exists under its
 * id only once it is complete, so every entry is a whole backup.
 *
 * @param id the backup's id
 * @param cluster the cluster backed up
 * @param node the node it was taken from
 * @param host the node's host:port at the time
 * @param startLsn where replay of the backup starts
 * @param stopLsn where a restore of it becomes consistent
 * @param timeline the timeline the backup ended on
 * @param rawBytes data directory files (per the manifest) plus the WAL streamed with them, bytes
 * @param storedBytes what the repository holds for it (archives and manifest), bytes
 * @param durationMillis from pg_basebackup's start until the backup was catalogued, milliseconds
 * @param compression what the data archive is compressed with ({@link Compression#code()})
 * @param compressionNote why that compression (e.g. server-side zstd, or a fallback)
 * @param files the stored files, relative to the backup's directory
 * @param startedAt when the backup began
 * @param completedAt when it was catalogued
 * @param verification what verification found
 * @param encryptionKeyId the id of the key the stored files were encrypted with ({@code service.ChunkedGcm}: AES-256-GCM
 *     in chunks; an S3 repository with a key); null: stored as they are
 */
public record CatalogueEntry(
        BackupId id,
        ClusterId cluster,
        NodeName node,
        String host,
        Lsn startLsn,
        Lsn stopLsn,
        Timeline timeline,
        long rawBytes,
        long storedBytes,
        long durationMillis,
        String compression,
        String compressionNote,
        List<String> files,
        Instant startedAt,
        Instant completedAt,
        Verification verification,
        String encryptionKeyId) {

    public static final String FILE = "backup.json";

    public CatalogueEntry {
        files = List.copyOf(files);
        Compression.of(compression);
        if (stopLsn.compareTo(startLsn) < 0) {
            throw new IllegalArgumentException("stop LSN " + stopLsn + " is before start LSN " + startLsn);
        }
        if (verification == null) {
            verification = Verification.none();
        }
    }

    /** An entry of files stored as they are (not encrypted). */
    public CatalogueEntry(
            BackupId id,
            ClusterId cluster,
            NodeName node,
            String host,
            Lsn startLsn,
            Lsn stopLsn,
            Timeline timeline,
            long rawBytes,
            long storedBytes,
            long durationMillis,
            String compression,
            String compressionNote,
            List<String> files,
            Instant startedAt,
            Instant completedAt,
            Verification verification) {
        this(
                id,
                cluster,
                node,
                host,
                startLsn,
                stopLsn,
                timeline,
                rawBytes,
                storedBytes,
                durationMillis,
                compression,
                compressionNote,
                files,
                startedAt,
                completedAt,
                verification,
                null);
    }

    /** Whether the stored files are encrypted (with the key {@link #encryptionKeyId} names). */
    public boolean encrypted() {
        return encryptionKeyId != null;
    }

    /** The same entry for files encrypted with the key of id {@code keyId} (null: stored as they are). */
    public CatalogueEntry withEncryptionKeyId(String keyId) {
        return new CatalogueEntry(
                id,
                cluster,
                node,
                host,
                startLsn,
                stopLsn,
                timeline,
                rawBytes,
                storedBytes,
                durationMillis,
                compression,
                compressionNote,
                files,
                startedAt,
                completedAt,
                verification,
                keyId);
    }

    public CatalogueEntry withVerification(Verification v) {
        return new CatalogueEntry(
                id,
                cluster,
                node,
                host,
                startLsn,
                stopLsn,
                timeline,
                rawBytes,
                storedBytes,
                durationMillis,
                compression,
                compressionNote,
                files,
                startedAt,
                completedAt,
                v,
                encryptionKeyId);
    }

    /** The archive of the data directory ({@code base.tar.zst}, …). */
    public String baseArchive() {
        return Compression.of(compression).baseArchive();
    }
}
