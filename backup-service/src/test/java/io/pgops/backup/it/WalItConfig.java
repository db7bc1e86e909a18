package io.pgops.backup.it;

import io.pgops.stack.testkit.TestStack;
import java.util.Map;

/**
 * The backup service with WAL archiving under test: a repository of its own (no backups of other tests in it), the
 * replication account, and a gap check every second.
 */
public class WalItConfig extends BackupItConfig {
    static final String REPOSITORY = "wal-service-backups";

    @Override
    protected String repository() {
        return REPOSITORY;
    }

    @Override
    protected Map<String, String> extra(TestStack stack) {
        return Map.of("pgops.backup.wal.gap-check-interval", "1s", "pgops.backup.wal.restart-max-backoff", "2s");
    }
}
