package io.pgops.backup.it;

import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The backup service restoring on command: a repository of its own, no restore drill after a backup (the restore is
 * what is tested), and the test stack's directory as the restore root, so that a node's data directory lies inside
 * it and must be refused for what it is (a running server), not for where it is.
 */
public class RestoreItConfig implements QuarkusTestResourceLifecycleManager {
    static final String REPOSITORY = "restore-backups";

    @Override
    public Map<String, String> start() {
        TestStack stack = TestStack.get();
        stack.secrets().password(PgTopology.REPLICATION_USER);
        return Map.of(
                "pgops.backup.repository-root",
                stack.dir().resolve(REPOSITORY).toString(),
                "pgops.backup.account.username",
                PgTopology.REPLICATION_USER,
                "pgops.backup.account.password-file",
                stack.secrets().file(PgTopology.REPLICATION_USER).toString(),
                "pgops.backup.restore-drill",
                "false",
                "pgops.backup.restore.root",
                stack.dir().toString());
    }

    @Override
    public void stop() {}
}
