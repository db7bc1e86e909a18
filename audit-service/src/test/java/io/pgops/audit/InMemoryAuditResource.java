package io.pgops.audit;

import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;

/**
 * Fast-test wiring: the consumed channel is in memory (the test sends batches shaped like the Kafka
 * connector's), checkpoints go to an in-memory sink every second, the database is real — pgops' own PostgreSQL of {@link TestStack}, no broker.
 */
public class InMemoryAuditResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(InMemoryConnector.switchIncomingChannelsToInMemory("audit-in"));
        config.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory("audit-checkpoints"));
        config.put("pgops.audit.checkpoint.interval", "1s");
        TestStack stack = TestStack.get();
        config.putAll(stack.tokens().serviceConfig());
        PgNode db = stack.pgopsDb();
        config.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:" + db.port() + "/pgops");
        config.put("quarkus.datasource.username", PgTopology.PGOPS_USER);
        config.put("quarkus.datasource.password", stack.secrets().password("pgops-db"));
        return config;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
