package io.pgops.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.backup.BackupExpired;
import io.pgops.events.backup.BackupRequested;
import io.pgops.events.backup.WalArchiveGapDetected;
import io.pgops.events.health.LagExceeded;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.maintenance.ConfigDriftDetected;
import io.pgops.events.maintenance.MaintenanceDue;
import io.pgops.events.maintenance.MigrationRequested;
import io.pgops.events.model.ClusterId;
import io.pgops.events.replication.AgentCommandRefused;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.NodeFenced;
import io.pgops.events.replication.PromoteRequested;
import io.pgops.events.replication.StandbyRejoined;
import io.pgops.events.replication.TopologyChanged;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules every event record follows; each failure message says how to fix the record. */
class EventCatalogueTest {
    static Stream<Class<? extends PgopsEvent>> eventTypes() {
        return EventTypes.all().stream();
    }

    @Test
    void typesAreAreaAndKebabCaseNameWithVersion() {
        assertEquals("io.pgops.health.node-unreachable.v1", EventTypes.typeOf(NodeUnreachable.class));
        assertEquals("io.pgops.replication.promote-requested.v1", EventTypes.typeOf(PromoteRequested.class));
        assertEquals("io.pgops.backup.wal-archive-gap-detected.v1", EventTypes.typeOf(WalArchiveGapDetected.class));
        assertEquals(
                Optional.of(TopologyChanged.class), EventTypes.classOf("io.pgops.replication.topology-changed.v1"));
        assertEquals(Optional.empty(), EventTypes.classOf("io.pgops.replication.topology-changed.v2"));
    }

    @Test
    void theCatalogueHasEveryRecordOfTheSealedHierarchy() {
        assertEquals(48, EventTypes.all().size(), "9 health + 17 replication + 11 backup + 10 maintenance + 1 audit");
        assertEquals(EventTypes.all().size(), Set.copyOf(EventTypes.all()).size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void typeAndClassMapBothWays(Class<? extends PgopsEvent> type) {
        String name = EventTypes.typeOf(type);
        assertTrue(
                name.matches(
                        "io\\.pgops\\.(health|replication|backup|maintenance|audit)\\.[a-z0-9]+(-[a-z0-9]+)*\\.v1"),
                name);
        assertEquals(Optional.of(type), EventTypes.classOf(name));
        assertEquals(name, EventTypes.typeOf(Samples.of(type)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void commandsAreNamedRequestedAndFactsAreNot(Class<? extends PgopsEvent> type) {
        boolean namedAsCommand = type.getSimpleName().endsWith("Requested");
        boolean isCommand = OperatorCommand.class.isAssignableFrom(type);
        assertEquals(
                namedAsCommand,
                isCommand,
                type.getSimpleName() + ": a command is named …Requested and implements OperatorCommand (principal,"
                        + " reason); a fact is named in the past tense and is not an OperatorCommand");
        String topic = EventTypes.topicOf(type);
        assertEquals(isCommand, topic.endsWith(".commands"), type.getSimpleName() + " goes to " + topic);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void everyEventIsARecordAboutAClusterWithADescription(Class<? extends PgopsEvent> type) {
        assertTrue(type.isRecord(), type + " must be a record");
        RecordComponent first = type.getRecordComponents()[0];
        assertEquals("cluster", first.getName(), type.getSimpleName() + ": make `ClusterId cluster` the first field");
        assertEquals(ClusterId.class, first.getType());
        EventDoc doc = type.getAnnotation(EventDoc.class);
        assertTrue(
                doc != null && !doc.value().isBlank(),
                type.getSimpleName() + ": annotate it with @EventDoc(\"what happened, in one sentence\")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void timesAreInstantsAndDurationsAreMillis(Class<? extends PgopsEvent> type) {
        String durations = Arrays.stream(type.getRecordComponents())
                .filter(c -> c.getType() == Duration.class)
                .map(RecordComponent::getName)
                .collect(Collectors.joining(", "));
        assertEquals(
                "", durations, type.getSimpleName() + ": replace Duration fields by `long …Millis` (JSON numbers)");
    }

    @Test
    void decisionsCarryAReasonInWords() {
        List<Class<? extends PgopsEvent>> decisions = List.of(
                LagExceeded.class,
                FailoverStarted.class,
                NodeFenced.class,
                AgentCommandRefused.class,
                FailoverCompleted.class,
                FailoverRefused.class,
                StandbyRejoined.class,
                TopologyChanged.class,
                WalArchiveGapDetected.class,
                BackupExpired.class,
                MaintenanceDue.class,
                ConfigDriftDetected.class);
        for (Class<? extends PgopsEvent> type : decisions) {
            boolean hasReason = Arrays.stream(type.getRecordComponents())
                    .anyMatch(c -> c.getName().equals("reason") && c.getType() == String.class);
            assertTrue(hasReason, type.getSimpleName() + " reports a decision: add `String reason`, in words");
        }
    }

    @Test
    void topicsFollowTheArea() {
        assertEquals(Topics.HEALTH_EVENTS, EventTypes.topicOf(NodeUnreachable.class));
        assertEquals(Topics.REPLICATION_COMMANDS, EventTypes.topicOf(PromoteRequested.class));
        assertEquals(Topics.REPLICATION_EVENTS, EventTypes.topicOf(TopologyChanged.class));
        assertEquals(Topics.BACKUP_COMMANDS, EventTypes.topicOf(BackupRequested.class));
        assertEquals(Topics.REPLICATION_LEASES, EventTypes.topicOf(io.pgops.events.replication.LeaseGranted.class));
        assertEquals(Topics.REPLICATION_LEASES, EventTypes.topicOf(io.pgops.events.replication.LeaseAsked.class));
        assertEquals(Topics.MAINTENANCE_COMMANDS, EventTypes.topicOf(MigrationRequested.class));
        Set<String> declared = Topics.all().stream().map(Topics.TopicSpec::name).collect(Collectors.toSet());
        for (Class<? extends PgopsEvent> type : EventTypes.all()) {
            assertTrue(declared.contains(EventTypes.topicOf(type)), type + " goes to an undeclared topic");
        }
    }

    @Test
    void onlyTheTopologyTopicIsCompacted() {
        assertEquals(12, Topics.all().size());
        assertEquals(
                Set.of(Topics.TOPOLOGY),
                Topics.all().stream()
                        .filter(Topics.TopicSpec::compacted)
                        .map(Topics.TopicSpec::name)
                        .collect(Collectors.toSet()));
    }
}
