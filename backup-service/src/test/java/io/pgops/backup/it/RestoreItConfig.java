package io.pgops.backup.it;

import io.pgops.stack.testkit.TestStack;
import java.util.Map;

/**
 * The backup service restoring on command: a repository of its own, no restore drill after a backup (the restore is
 * what is tested), and the test stack's directory as the restore root, so that a node's data directory lies inside
 * it and must be refused for what it is (a running server), not for where it is.
 */
public class RestoreItConfig extends BackupItConfig {
    static final String REPOSITORY = "restore-backups";

    @Override
    protected String repository() {
        return REPOSITORY;
    }

    @Override
    protected Map<String, String> extra(TestStack stack) {
        return Map.of(
                "pgops.backup.restore-drill",
                "false",
                "pgops.backup.restore.root",
                stack.dir().toString());
    }
}
