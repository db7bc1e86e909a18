package io.pgops.health.config;

import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One cluster's overrides ({@code pgops.health.clusters.<id>.<key>}); see {@link Limits} for each key. */
public interface ClusterOverrides {
    Optional<Integer> failuresToBreach();

    Optional<Integer> passesToRecover();

    Optional<MemorySize> lagBytes();

    Optional<Duration> lagTime();

    Optional<MemorySize> slotRetainedWal();

    Optional<Integer> inactiveSlots();

    Optional<Duration> longQueryAge();

    Optional<Integer> longQueryCount();

    Optional<Duration> idleInTransactionAge();

    Optional<Duration> blockedAge();

    Optional<Integer> blockedSessions();

    Optional<Double> connectionsWarning();

    Optional<Double> connectionsCritical();

    Optional<Long> xidAge();

    Optional<Long> multixactAge();

    Optional<Duration> activityWindow();

    Optional<Integer> archiveFailures();

    Optional<Double> checkpointsRequestedRatio();

    Optional<MemorySize> tempBytes();

    Optional<Integer> deadlocks();

    Optional<Boolean> sslRequired();

    Optional<Boolean> pgauditRequired();

    Optional<List<String>> networkSuperusers();

    Optional<Duration> topologySettle();

    Optional<Duration> backupMaxAge();
}
