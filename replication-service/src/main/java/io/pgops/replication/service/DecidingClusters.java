package io.pgops.replication.service;

import io.pgops.events.model.ClusterId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The lease desk's view of the clusters this coordinator owns: the owned state a lease is granted in, the deciding
 * partition a malformed lease request is dead-lettered through (inside that partition's fenced transaction), and
 * where a lost partition is reported.
 */
final class DecidingClusters implements LeaseDesk.Owners {
    private static final Logger LOG = Logger.getLogger(DecidingClusters.class);

    private final Map<ClusterId, ClusterWorker> workers;
    private final Coordination.DecisionLog log;
    private final Coordination.LostHandler lostHandler;

    DecidingClusters(
            Map<ClusterId, ClusterWorker> workers, Coordination.DecisionLog log, Coordination.LostHandler lostHandler) {
        this.workers = workers;
        this.log = log;
        this.lostHandler = lostHandler;
    }

    @Override
    public Optional<OwnedCluster> owned(ClusterId cluster) {
        ClusterWorker w = workers.get(cluster);
        return w == null ? Optional.empty() : w.ownedCluster();
    }

    @Override
    public Optional<TopicPartition> ownedPartition(int partition) {
        return workers.values().stream()
                .filter(ClusterWorker::deciding)
                .map(w -> w.partition)
                .filter(tp -> tp.partition() == partition)
                .findFirst();
    }

    @Override
    public void deadLetter(TopicPartition commands, ConsumerRecord<String, byte[]> r, String reason) {
        LOG.warnf("dead-lettered %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), reason);
        try {
            log.commit(commands, List.of(KafkaRecords.deadLetter(r, reason)));
        } catch (LostOwnership ex) {
            lost(commands, ex);
        }
    }

    @Override
    public void lost(TopicPartition tp, LostOwnership why) {
        lostHandler.lost(tp, why);
    }
}
