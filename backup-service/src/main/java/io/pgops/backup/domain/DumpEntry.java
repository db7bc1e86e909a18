package io.pgops.backup.domain;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import java.time.Instant;

/**
 * One logical dump in the catalogue: the {@code dump.json} beside its file in {@code
 * <root>/<cluster>/dumps/<id>/}. Like a base backup, the directory carries the dump's id only once the dump was
 * written and verified, so every entry is a whole, readable dump.
 *
 * @param id the dump's id, {@code <UTC start to the ms>-<node>-<scope>}
 * @param cluster the cluster
 * @param database the dumped database
 * @param scope {@code schema} (a {@code --schema-only} dump, the pre-migration backup) or {@code full} (schema and
 *     data, the scheduled logical backup)
 * @param node the node it was taken from
 * @param host the node's host:port at the time
 * @param file the dump's file, relative to its directory ({@code <scope>.dump}, pg_dump's custom format)
 * @param storedBytes the file's size, bytes
 * @param tocEntries how many entries {@code pg_restore --list} read from it (its verification)
 * @param request the id of the command event it answers (a {@code MigrationRequested}), if any
 * @param correlationId the correlation id of that command and of this dump's events
 * @param migrationVersion the version of the migration it precedes, if any
 * @param durationMillis from start until catalogued, milliseconds
 * @param startedAt when pg_dump started
 * @param completedAt when it was catalogued
 * @param encryptionKeyId the id of the key its file is encrypted with (AES-256-GCM, {@code ChunkedGcm}); null: plain
 */
public record DumpEntry(
        BackupId id,
        ClusterId cluster,
        String database,
        String scope,
        NodeName node,
        String host,
        String file,
        long storedBytes,
        int tocEntries,
        String request,
        String correlationId,
        String migrationVersion,
        long durationMillis,
        Instant startedAt,
        Instant completedAt,
        String encryptionKeyId) {
    public static final String FILE = "dump.json";
    /** A {@code --schema-only} dump (the pre-migration backup). */
    public static final String SCHEMA = "schema";
    /** A dump of schema and data (the scheduled logical backup). */
    public static final String FULL = "full";

    /** The id of a schema-only dump of {@code node} that starts at {@code start}. */
    public static BackupId schemaId(Instant start, NodeName node) {
        return idFor(start, node, SCHEMA);
    }

    /** The id of a dump of {@code scope} of {@code node} that starts at {@code start}. */
    public static BackupId idFor(Instant start, NodeName node, String scope) {
        if (!SCHEMA.equals(scope) && !FULL.equals(scope)) {
            throw new IllegalArgumentException("scope must be schema or full but was '" + scope + "'");
        }
        return BackupId.of(BackupId.at(start, node).value() + "-" + scope);
    }
}
