package io.pgops.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The name of one PostgreSQL instance (member) of a cluster, unique within its cluster; also its
 * {@code application_name} in {@code pg_stat_replication} and its replication slot name.
 *
 * @param value 1–63 characters of {@code [a-z0-9_-]}, starting with a letter or digit
 */
public record NodeName(@JsonValue String value) {
    /** The JSON Schema / regular-expression form of the rule. */
    public static final String PATTERN = ClusterId.PATTERN;

    public NodeName {
        Names.check(value, "node name");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static NodeName of(String value) {
        return new NodeName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
