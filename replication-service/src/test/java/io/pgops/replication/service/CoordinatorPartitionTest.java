package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.events.model.ClusterId;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/**
 * The coordinator decides for the clusters whose commands land on the partitions it owns: its idea of a
 * cluster's partition must be the producer's, or commands would reach an owner that ignores them.
 */
class CoordinatorPartitionTest {
    @Test
    void aClustersPartitionIsTheOneTheProducerSendsItsCommandsTo() {
        for (int partitions = 1; partitions <= 12; partitions++) {
            for (int i = 0; i < 500; i++) {
                ClusterId id = ClusterId.of("cluster-" + i);
                assertEquals(
                        BuiltInPartitioner.partitionForKey(id.value().getBytes(StandardCharsets.UTF_8), partitions),
                        Coordinator.partitionOf(id, partitions),
                        id + " of " + partitions);
            }
        }
    }
}
