package io.pgops.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.Topics;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.TestStack;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The test kit starts the real pieces the reference architecture names, and they work. */
class LocalProcessKitIT {

    @Test
    void clusterStreamsToASyncAndAnAsyncStandbyThroughSlots() {
        List<PgNode> nodes = TestStack.get().cluster();
        PgNode primary = nodes.getFirst();
        assertEquals("primary", primary.role());
        assertEquals("standby", nodes.get(1).role());
        assertEquals("standby", nodes.get(2).role());
        assertEquals(
                "node2:sync:streaming\nnode3:async:streaming",
                primary.sql("SELECT application_name || ':' || sync_state || ':' || state FROM pg_stat_replication"
                        + " ORDER BY application_name"));
        assertEquals(
                "node2:true\nnode3:true",
                primary.sql("SELECT slot_name || ':' || active FROM pg_replication_slots ORDER BY 1"));
        assertEquals("on", primary.sql("SHOW wal_log_hints"));
        assertTrue(primary.sql("SHOW shared_preload_libraries").contains("pg_stat_statements"));
    }

    @Test
    void synchronousCommitIsAcknowledgedAndReachesBothStandbys() {
        List<PgNode> nodes = TestStack.get().cluster();
        PgNode primary = nodes.getFirst();
        primary.sql("CREATE TABLE IF NOT EXISTS kit_probe (id int PRIMARY KEY); INSERT INTO kit_probe VALUES (42)"
                + " ON CONFLICT DO NOTHING");
        String lsn = primary.sql("SELECT pg_current_wal_lsn()");
        for (PgNode standby : nodes.subList(1, 3)) {
            io.pgops.stack.process.Wait.until(
                    standby.name() + " to replay " + lsn,
                    java.time.Duration.ofSeconds(30),
                    () -> "t".equals(standby.sql("SELECT pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn")));
            assertEquals("42", standby.sql("SELECT id FROM kit_probe"));
        }
    }

    @Test
    void brokerHasEveryPgopsTopicWithTopologyCompacted() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            for (Topics.TopicSpec t : Topics.all()) {
                assertTrue(names.contains(t.name()), "missing topic " + t.name());
            }
            var cfg = admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.TOPOLOGY)))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(
                    "compact",
                    cfg.values().iterator().next().get("cleanup.policy").value());
        }
    }
}
