package io.pgops.stack.testkit;

import io.pgops.stack.ServiceConfig;
import io.pgops.stack.postgres.PgTopology;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Quarkus test resource: points a service under test at the real broker and pgops' own PostgreSQL
 * of {@link TestStack}; with init arg {@code cluster=true} it also writes the 3-node cluster into the
 * inventory (cluster id {@code it}). Use with {@code @QuarkusTestResource(PgopsTestResource.class)}.
 */
public class PgopsTestResource implements QuarkusTestResourceLifecycleManager {
    private boolean withCluster;

    @Override
    public void init(Map<String, String> initArgs) {
        withCluster = Boolean.parseBoolean(initArgs.getOrDefault("cluster", "false"));
    }

    @Override
    public Map<String, String> start() {
        TestStack stack = TestStack.get();
        Map<String, String> config = new HashMap<>(stack.serviceConfig());
        if (withCluster) {
            config.putAll(ServiceConfig.inventory(
                    "it", stack.cluster(), stack.secrets().file(PgTopology.PGOPS_USER), stack.caCertificate()));
        }
        return config;
    }

    @Override
    public void stop() {
        // shared per JVM: the shutdown hook stops it once every test is done
    }
}
