package io.pgops.events;

import java.util.List;

/**
 * The Kafka topics of pgops. Every record's key is the cluster id, so one cluster's events stay in order on one
 * partition. Facts go to {@code pgops.<area>.events}, commands to {@code pgops.<area>.commands}
 * ({@link EventTypes#topicOf}).
 */
public final class Topics {
    public static final String HEALTH_EVENTS = "pgops.health.events";
    public static final String REPLICATION_EVENTS = "pgops.replication.events";
    public static final String BACKUP_EVENTS = "pgops.backup.events";
    public static final String MAINTENANCE_EVENTS = "pgops.maintenance.events";
    /** Signed checkpoints of the audit trail's hash chain. */
    public static final String AUDIT_EVENTS = "pgops.audit.events";

    public static final String HEALTH_COMMANDS = "pgops.health.commands";
    public static final String REPLICATION_COMMANDS = "pgops.replication.commands";
    public static final String BACKUP_COMMANDS = "pgops.backup.commands";
    public static final String MAINTENANCE_COMMANDS = "pgops.maintenance.commands";
    /**
     * The primary's lease: {@code LeaseAsked} from agents, {@code LeaseGranted} from the owning coordinator
     * (transactional). Protocol records, about one a second per cluster; not read by the audit trail.
     */
    public static final String REPLICATION_LEASES = "pgops.replication.leases";
    /** Compacted: the latest {@code TopologyChanged} per cluster, written by the replication service. */
    public static final String TOPOLOGY = "pgops.topology";
    /** Records a consumer could not decode or process, with the original headers and an error header. */
    public static final String DEADLETTER = "pgops.deadletter";

    private static final List<TopicSpec> ALL = List.of(
            new TopicSpec(HEALTH_EVENTS, false, "Facts the health service observes: probes, checks, lag."),
            new TopicSpec(
                    REPLICATION_EVENTS,
                    false,
                    "Facts of the replication service: failover steps, fencing, promotion, rejoin, topology."),
            new TopicSpec(BACKUP_EVENTS, false, "Facts of the backup service: backups, verification, restores, WAL."),
            new TopicSpec(
                    MAINTENANCE_EVENTS,
                    false,
                    "Facts of the maintenance service: maintenance tasks, migrations, config drift."),
            new TopicSpec(
                    AUDIT_EVENTS,
                    false,
                    "Facts of the audit service about the trail itself: signed checkpoints of its hash chain."),
            new TopicSpec(HEALTH_COMMANDS, false, "Commands for the health service (none defined yet)."),
            new TopicSpec(REPLICATION_COMMANDS, false, "Operator commands for the replication service."),
            new TopicSpec(BACKUP_COMMANDS, false, "Operator commands for the backup service."),
            new TopicSpec(MAINTENANCE_COMMANDS, false, "Operator commands for the maintenance service."),
            new TopicSpec(
                    REPLICATION_LEASES,
                    false,
                    "The primary's lease: LeaseAsked from the primary's agent, LeaseGranted from the owning"
                            + " coordinator in its fenced transaction (key = cluster id)."),
            new TopicSpec(
                    TOPOLOGY,
                    true,
                    "Compacted: the latest TopologyChanged per cluster (key = cluster id); read it from the start"
                            + " to learn every cluster's primary."),
            new TopicSpec(
                    DEADLETTER,
                    false,
                    "Records a consumer could not decode or process, with their original headers and a"
                            + " pgops-error header."));

    private Topics() {}

    /** Every topic, events topics first; create them all before starting a service. */
    public static List<TopicSpec> all() {
        return ALL;
    }

    /**
     * A topic to create.
     *
     * @param name the topic name
     * @param compacted {@code true} for {@code cleanup.policy=compact} (latest record per key is kept)
     * @param description what the topic carries
     */
    public record TopicSpec(String name, boolean compacted, String description) {}
}
