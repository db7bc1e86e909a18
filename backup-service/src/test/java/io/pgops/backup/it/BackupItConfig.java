package io.pgops.backup.it;

import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backup service under test: a repository under the test stack's directory, and the cluster's replication
 * account (the stack's pg_hba.conf lets only {@code replicator} open replication connections). A test that needs a
 * repository of its own or more settings extends it ({@link #repository}, {@link #extra}).
 */
public class BackupItConfig implements QuarkusTestResourceLifecycleManager {
    /** The repository's directory, under the test stack's. */
    protected String repository() {
        return "backups";
    }

    /** Settings beyond the repository and the account. */
    protected Map<String, String> extra(TestStack stack) {
        return Map.of();
    }

    @Override
    public final Map<String, String> start() {
        TestStack stack = TestStack.get();
        stack.secrets().password(PgTopology.REPLICATION_USER);
        Map<String, String> config = new LinkedHashMap<>();
        config.put(
                "pgops.backup.repository-root",
                stack.dir().resolve(repository()).toString());
        config.put("pgops.backup.account.username", PgTopology.REPLICATION_USER);
        config.put(
                "pgops.backup.account.password-file",
                stack.secrets().file(PgTopology.REPLICATION_USER).toString());
        config.putAll(extra(stack));
        return config;
    }

    @Override
    public void stop() {}
}
