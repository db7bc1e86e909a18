package io.pgops.events.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The name of a PostgreSQL cluster (one primary and its standbys) that pgops operates. It is the Kafka key of
 * every event, so all events of a cluster stay in order on one partition.
 *
 * @param value 1–63 characters of {@code [a-z0-9_-]}, starting with a letter or digit (fits a DNS label and a
 *     PostgreSQL {@code cluster_name})
 */
public record ClusterId(@JsonValue String value) {
    /** The JSON Schema / regular-expression form of the rule. */
    public static final String PATTERN = "^[a-z0-9][a-z0-9_-]{0,62}$";

    public ClusterId {
        Names.check(value, "cluster id");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ClusterId of(String value) {
        return new ClusterId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
