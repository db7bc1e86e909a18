package io.pgops.backup.it;

import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.TestStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backup service with a cluster of its own ({@code fo}: {@code fo-node1} primary, {@code fo-node2} sync and
 * {@code fo-node3} async standby), so that its test may stop the primary and promote a standby without disturbing
 * the shared cluster of the other tests; a repository of its own; no WAL archiving, scheduled dumps or restore
 * drill (not what the test is about, and WAL archiving would keep retrying the stopped primary); the repository
 * encrypted at rest with a key file ({@code pgops.backup.encryption-key}), so the service's encrypted path runs too.
 */
public class FailoverItConfig extends BackupItConfig {
    static final String REPOSITORY = "failover-backups";
    static final String CLUSTER = "fo";
    private static List<PgNode> nodes;

    /** The cluster's nodes, primary first (built when the service's configuration is). */
    static synchronized List<PgNode> nodes() {
        if (nodes == null) {
            nodes = TestStack.get().newCluster(CLUSTER);
        }
        return nodes;
    }

    @Override
    protected String repository() {
        return REPOSITORY;
    }

    @Override
    protected Map<String, String> extra(TestStack stack) {
        Map<String, String> m = new LinkedHashMap<>(stack.inventory(CLUSTER, nodes()));
        m.put("pgops.backup.wal.enabled", "false");
        m.put("pgops.backup.logical.enabled", "false");
        m.put("pgops.backup.restore-drill", "false");
        // the repository encrypted at rest, as the service does it (taken and verified in staging, stored encrypted)
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Path keyFile = stack.dir().resolve("failover-backup.key");
        try {
            Files.write(keyFile, key);
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        m.put("pgops.backup.encryption-key", "file:" + keyFile);
        m.put("pgops.backup.staging", stack.dir().resolve("failover-staging").toString());
        return m;
    }
}
