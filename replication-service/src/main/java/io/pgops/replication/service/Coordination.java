package io.pgops.replication.service;

import io.pgops.events.model.ClusterId;
import io.pgops.kit.inventory.Inventory;
import io.pgops.replication.config.CoordinatorConfig;
import io.pgops.replication.domain.ClusterState;
import io.pgops.replication.domain.CommandRules;
import io.pgops.replication.domain.NodeSpec;
import io.pgops.replication.domain.SyncPlan;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * What a cluster's decider works with: the inventory, its settings, the agents, the committed view, and
 * the decision log (one Kafka transaction on the cluster's partition per decision), and the direct SQL
 * probe of a primary.
 *
 * @param log commits records with the partition's consumed offset; throws {@link LostOwnership} when the
 *     partition is no longer this instance's
 * @param lost how a worker reports that its partition's decisions cannot be committed any more
 * @param metrics what was committed, as Prometheus metrics
 * @param reach whether Kafka answers this coordinator, and since when (the lease desk's looks)
 */
record Coordination(
        Inventory inventory,
        CoordinatorConfig config,
        AgentClient agents,
        TopologyView view,
        PrimaryProbe probe,
        String instance,
        DecisionLog log,
        LostHandler lost,
        ReplicationMetrics metrics,
        KafkaReach reach) {
    private static final Logger LOG = Logger.getLogger(Coordination.class);

    /** One transaction on a partition: the records and the partition's consumed offset. */
    interface DecisionLog {
        void commit(TopicPartition tp, List<ProducerRecord<String, byte[]>> records);
    }

    /** Called from a worker's thread when a decision on its partition was not committed. */
    interface LostHandler {
        void lost(TopicPartition tp, LostOwnership why);
    }

    List<NodeSpec> specs(ClusterId cluster) {
        return InventoryNodes.of(inventory, cluster);
    }

    /** The agents' reports, each unanswered node with the reason. */
    ClusterState observe(ClusterId cluster) {
        List<NodeSpec> specs = specs(cluster);
        AgentClient.Reports r =
                agents.reports(cluster, specs.stream().map(NodeSpec::name).toList());
        return new ClusterState(specs, r.reports(), r.unanswered());
    }

    /** The cluster's synchronous mode: its inventory's {@code synchronous-mode}, else the coordinator's. */
    SyncPlan.Mode syncMode(ClusterId cluster) {
        return inventory
                .clusters()
                .get(cluster.value())
                .synchronousMode()
                .map(SyncPlan.Mode::parse)
                .orElse(config.synchronousMode());
    }

    CommandRules.Limits limits() {
        return new CommandRules.Limits(config.maximumLagOnSwitchover(), config.maximumLagOnFailover());
    }

    /**
     * The {@code halt-at} test hook: halts, as SIGKILL would, after {@code step} of a change whose text (an
     * operator command's reason) contains the marker; {@code *:<marker>} after the step the text names ({@code
     * "<marker> after <step>"}), so one coordinator serves a test's several steps in turn.
     */
    void haltAfter(String step, String text) {
        config.haltAt().ifPresent(h -> {
            int colon = h.indexOf(':');
            if (colon <= 0 || text == null) {
                return;
            }
            String at = h.substring(0, colon);
            String marker = h.substring(colon + 1);
            if (at.equals("*") ? text.contains(marker + " after " + step) : at.equals(step) && text.contains(marker)) {
                LOG.warnf("halting after %s (test hook)", step);
                Runtime.getRuntime().halt(137);
            }
        });
    }
}
