package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backups this instance is reading now (a verification, a restore drill, a restore): retention keeps them
 * whatever its rules say. Hold one with try-with-resources around the reading.
 */
@ApplicationScoped
public class BackupsInUse {
    private final ConcurrentHashMap<BackupId, AtomicInteger> held = new ConcurrentHashMap<>();

    /** Marks {@code id} in use until the returned handle is closed. */
    public AutoCloseableHold hold(BackupId id) {
        held.compute(id, (k, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            c.incrementAndGet();
            return c;
        });
        return () -> held.computeIfPresent(id, (k, n) -> n.decrementAndGet() == 0 ? null : n);
    }

    /** The backups in use at this moment. */
    public Set<BackupId> ids() {
        return Set.copyOf(held.keySet());
    }

    /** A hold that closes without a checked exception. */
    public interface AutoCloseableHold extends AutoCloseable {
        @Override
        void close();
    }
}
