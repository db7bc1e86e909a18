package io.pgops.events.health;

import io.pgops.events.EventDoc;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A security check found a node's configuration weak (it was not before): {@code ssl} off, {@code pg_hba} rules that
 * trust network clients or admit any address, {@code md5} or clear-text password methods, a {@code
 * password_encryption} other than {@code scram-sha-256}, superusers logging in over the network, pgaudit missing where
 * required. Published beside the check's {@code HealthCheckFailed}, under the same correlation id, so security tooling
 * can follow these alone; {@code SecurityFindingResolved} closes it.
 *
 * @param cluster the cluster probed
 * @param node the node the finding is on
 * @param finding the security check's stable name: {@code ssl}, {@code hba-rules}, {@code hba-methods}, {@code
 *     password-encryption}, {@code superuser-network-logins} or {@code pgaudit}
 * @param severity {@code warning} or {@code critical}
 * @param evidence what was seen, in words, e.g. {@code "pg_hba rules accepting md5 or a clear-text password (use
 *     scram-sha-256): host all all 10.0.0.0/8 md5"}
 * @param remedy what to change, in words
 * @param detectedAt when the probe that confirmed it ran (UTC instant)
 */
@EventDoc(
        "A security check found a node's configuration weak (ssl off, open pg_hba rules, md5, …); says what to change.")
public record SecurityFindingDetected(
        ClusterId cluster,
        NodeName node,
        String finding,
        String severity,
        String evidence,
        String remedy,
        Instant detectedAt)
        implements HealthEvent {
    public SecurityFindingDetected {
        Require.nonNull(cluster, "cluster");
        Require.nonNull(node, "node");
        Require.text(finding, "finding");
        Require.oneOf(severity, "severity", java.util.Set.of("warning", "critical"));
        Require.text(evidence, "evidence");
        Require.text(remedy, "remedy");
        Require.nonNull(detectedAt, "detectedAt");
    }
}
