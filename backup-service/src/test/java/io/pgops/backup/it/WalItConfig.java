package io.pgops.backup.it;

import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The backup service with WAL archiving under test: a repository of its own (no backups of other tests in it), the
 * replication account, and a gap check every second.
 */
public class WalItConfig implements QuarkusTestResourceLifecycleManager {
    static final String REPOSITORY = "wal-service-backups";

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
                "pgops.backup.wal.gap-check-interval",
                "1s",
                "pgops.backup.wal.restart-max-backoff",
                "2s");
    }

    @Override
    public void stop() {}
}
