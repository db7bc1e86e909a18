package io.pgops.backup.it;

import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The backup service under test: a repository under the test stack's directory, and the cluster's replication
 * account (the stack's pg_hba.conf lets only {@code replicator} open replication connections).
 */
public class BackupItConfig implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        TestStack stack = TestStack.get();
        stack.secrets().password(PgTopology.REPLICATION_USER);
        return Map.of(
                "pgops.backup.repository-root",
                stack.dir().resolve("backups").toString(),
                "pgops.backup.account.username",
                PgTopology.REPLICATION_USER,
                "pgops.backup.account.password-file",
                stack.secrets().file(PgTopology.REPLICATION_USER).toString());
    }

    @Override
    public void stop() {}
}
