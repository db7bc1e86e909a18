package io.pgops.backup.service;

import io.pgops.backup.domain.WalShipping;
import io.pgops.events.model.ClusterId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Copies a cluster's local WAL archive (what {@code pg_receivewal} wrote) into the bucket the backups live in, so the
 * WAL survives the loss of the backup-service's host and a restore from the bucket elsewhere reaches a later target:
 * each pass copies the complete segments and history files the bucket lacks ({@link WalShipping}), oldest first,
 * encrypted when the repository has a key. What the bucket holds is read once per cluster, then remembered; a failed
 * copy stops the pass and is tried again at the next one.
 */
final class WalShipper {
    private static final Logger LOG = Logger.getLogger(WalShipper.class);

    private final S3Repository bucket;
    private final long segmentSize;
    private final Map<ClusterId, Set<String>> shipped = new ConcurrentHashMap<>();

    WalShipper(S3Repository bucket, long segmentSize) {
        this.bucket = bucket;
        this.segmentSize = segmentSize;
    }

    /** What one pass did. */
    record Pass(int copied, int waiting, String error) {}

    /** Copies what {@code dir} (the cluster's local archive) holds and the bucket does not; one pass. */
    Pass ship(ClusterId cluster, Path dir) {
        Set<String> there = shipped.computeIfAbsent(cluster, c -> ConcurrentHashMap.newKeySet());
        List<String> todo;
        try {
            if (there.isEmpty()) {
                there.addAll(bucket.walFiles(cluster));
            }
            todo = WalShipping.toShip(names(dir), there, segmentSize);
        } catch (IOException | RuntimeException e) {
            return new Pass(0, -1, "cannot compare " + dir + " with " + bucket.location() + ": " + e.getMessage());
        }
        int copied = 0;
        for (String f : todo) {
            try {
                bucket.putWal(cluster, dir.resolve(f));
            } catch (NoSuchFileException e) {
                continue; // retention removed it meanwhile
            } catch (IOException | RuntimeException e) {
                return new Pass(
                        copied,
                        todo.size() - copied,
                        "copying " + f + " to " + bucket.location() + ": " + e.getMessage());
            }
            there.add(f);
            copied++;
        }
        if (copied > 0) {
            LOG.debugf("WAL of %s: %d file(s) copied to %s", cluster, copied, bucket.location());
        }
        return new Pass(copied, 0, null);
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
