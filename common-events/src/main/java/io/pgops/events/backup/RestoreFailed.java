package io.pgops.events.backup;

import io.pgops.events.EventDoc;
import io.pgops.events.Nullable;
import io.pgops.events.internal.Require;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * A restore did not finish; the target node is left stopped.
 *
 * @param cluster the cluster whose backup was used
 * @param backupId the backup being restored; {@code null} if none suited the target
 * @param targetNode the node being restored
 * @param stage where it failed: {@code select-backup}, {@code fetch}, {@code recovery}, {@code promote}
 * @param error the error, e.g. {@code "recovery ended before configured recovery target was reached"}
 * @param durationMillis from the request being accepted until the failure, milliseconds
 * @param failedAt when it failed (UTC instant)
 */
@EventDoc("A restore did not finish; says at which stage and with which error.")
public record RestoreFailed(
        ClusterId cluster,
        @Nullable String backupId,
        NodeName targetNode,
        String stage,
        String error,
        long durationMillis,
        Instant failedAt)
        implements BackupEvent {
    public RestoreFailed {
        Require.nonNull(cluster, "cluster");
        Require.optionalText(backupId, "backupId");
        Require.nonNull(targetNode, "targetNode");
        Require.text(stage, "stage");
        Require.text(error, "error");
        Require.nonNegative(durationMillis, "durationMillis");
        Require.nonNull(failedAt, "failedAt");
    }
}
