package io.pgops.backup.domain;

import io.pgops.events.model.NodeName;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * A backup's id, unique within a cluster's repository and safe as a directory name: UTC start time to the
 * millisecond and source node, e.g. {@code 20261206T041500123Z-node2}. Sorting ids sorts backups by start.
 */
public record BackupId(String value) implements Comparable<BackupId> {
    public static final String PATTERN = "^[0-9]{8}T[0-9]{9}Z-[a-z0-9][a-z0-9_-]{0,62}$";
    private static final Pattern VALID = Pattern.compile(PATTERN);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    public BackupId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid backup id '" + value
                    + "': expected <yyyyMMddTHHmmssSSS>Z-<node>, e.g. 20261206T041500123Z-node2");
        }
    }

    public static BackupId of(String value) {
        return new BackupId(value);
    }

    /** The id of a backup of {@code node} that starts at {@code start}. */
    public static BackupId at(Instant start, NodeName node) {
        return new BackupId(STAMP.format(start) + "-" + node.value());
    }

    @Override
    public int compareTo(BackupId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
