package io.pgops.backup.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.BackupRequested;
import io.pgops.events.backup.BackupVerificationFailed;
import io.pgops.events.backup.BackupVerified;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.PgopsTestResource;
import io.pgops.stack.testkit.TestStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A real promotion, then its {@code FailoverCompleted} on the real broker: the service answers with one fresh base
 * backup whose timeline is the new one, under the failover's correlation id, taken from the new primary because the
 * async standby (which a backup would otherwise come from) is still on the old timeline; the same record delivered
 * again starts nothing, and a record that is no CloudEvent goes to the dead-letter topic while the consumer carries on.
 */
@QuarkusTest
@QuarkusTestResource(value = PgopsTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FailoverItConfig.class, restrictToAnnotatedClass = true)
class BackupAfterFailoverIT {

    @Test
    void aFailoverIsAnsweredWithOneBaseBackupOnTheNewTimelineFromANodeOnIt() throws Exception {
        List<PgNode> nodes = FailoverItConfig.nodes();
        PgNode old = nodes.get(0);
        PgNode promoted = nodes.get(1);
        // the old primary is lost; its sync standby is promoted; the async standby keeps replaying timeline 1
        old.stop("immediate");
        promoted.sql("SELECT pg_promote()");
        await("fo-node2 promoted")
                .atMost(Deadlines.BACKUP_FAILED)
                .until(() -> promoted.role().equals("primary"));
        Timeline newTimeline = Timeline.of(
                Long.parseLong(promoted.sql("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"), 16));
        assertTrue(newTimeline.value() >= 2, "promotion started a new timeline: " + newTimeline);
        Lsn switchLsn = Lsn.parse(promoted.sql("SELECT pg_current_wal_lsn()"));

        String correlation = "it-failover-" + UUID.randomUUID();
        FailoverCompleted done = new FailoverCompleted(
                ClusterId.of(FailoverItConfig.CLUSTER),
                new Term(2),
                LeadershipChange.FAILOVER,
                NodeName.of(old.name()),
                NodeName.of(promoted.name()),
                newTimeline,
                switchLsn,
                0L,
                1_200,
                "test: fenced " + old.name() + ", promoted " + promoted.name(),
                Instant.now());
        EventEnvelope envelope = EventEnvelope.wrap(done, "/pgops/it", correlation);
        send(envelope);

        BackupCompleted completed = await("BackupCompleted and its verification under the failover's correlation id")
                .atMost(Deadlines.BACKUP_VERIFIED)
                .until(
                        () -> flow(correlation),
                        l -> l.stream()
                                .anyMatch(e -> e.data() instanceof BackupVerified
                                        || e.data() instanceof BackupVerificationFailed
                                        || e.data() instanceof BackupFailed))
                .stream()
                .map(EventEnvelope::data)
                .filter(d -> d instanceof BackupCompleted)
                .map(d -> (BackupCompleted) d)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the backup failed: " + flow(correlation)));
        assertTrue(completed.timeline().compareTo(newTimeline) >= 0, "on the new timeline: " + completed);
        assertEquals(NodeName.of(promoted.name()), completed.node(), "the only node on the new timeline");
        List<String> story = flow(correlation).stream()
                .map(e -> e.data().getClass().getSimpleName())
                .toList();
        assertEquals(
                List.of("BackupStarted", "BackupCompleted", "BackupVerified"), story.subList(0, 3), story.toString());
        // the service's repository is encrypted (FailoverItConfig): the base is stored unreadable, its key's id
        // catalogued
        Path stored = TestStack.get()
                .dir()
                .resolve(FailoverItConfig.REPOSITORY)
                .resolve(FailoverItConfig.CLUSTER)
                .resolve(completed.backupId());
        assertFalse(
                Files.readString(stored.resolve("backup_manifest"), StandardCharsets.ISO_8859_1)
                        .contains("PostgreSQL-Backup-Manifest"),
                "the stored manifest is encrypted");
        assertTrue(Files.readString(stored.resolve("backup.json")).contains("\"encryptionKeyId\" : \""));
        BackupRequested asked = requests(correlation).getFirst();
        assertEquals("pgops-failover", asked.principal());
        assertTrue(
                asked.reason()
                        .startsWith("fresh base backup on timeline " + newTimeline + " after the failover from "
                                + old.name() + " to " + promoted.name()),
                asked.reason());
        System.out.println("backup after a failover: " + asked.reason() + " -> " + completed);

        // the same record again, then garbage on the same partition: once the garbage is dead-lettered, the
        // consumer has passed the redelivered record, and it requested nothing
        send(envelope);
        String garbage = "not a CloudEvent " + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> p = producer()) {
            p.send(new ProducerRecord<>(
                            Topics.REPLICATION_EVENTS,
                            FailoverItConfig.CLUSTER,
                            garbage.getBytes(StandardCharsets.UTF_8)))
                    .get();
        }
        ConsumerRecord<String, byte[]> dead = await("the garbage record on " + Topics.DEADLETTER)
                .atMost(Deadlines.BACKUP_FAILED)
                .until(
                        () -> KafkaTap.records(TestStack.get().kafkaBootstrap(), Topics.DEADLETTER).stream()
                                .filter(r -> garbage.equals(new String(r.value(), StandardCharsets.UTF_8)))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        assertEquals(
                Topics.REPLICATION_EVENTS,
                new String(dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8));
        assertTrue(dead.headers().lastHeader("dead-letter-reason") != null, "a reason with the dead letter");
        assertEquals(1, requests(correlation).size(), "one backup per failover: " + requests(correlation));
    }

    private static List<EventEnvelope> flow(String correlation) {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_EVENTS).stream()
                .filter(e -> correlation.equals(e.correlationId()))
                .toList();
    }

    private static List<BackupRequested> requests(String correlation) {
        return KafkaTap.events(TestStack.get().kafkaBootstrap(), Topics.BACKUP_COMMANDS).stream()
                .filter(e -> correlation.equals(e.correlationId()) && e.data() instanceof BackupRequested)
                .map(e -> (BackupRequested) e.data())
                .toList();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(EventEnvelope envelope) throws Exception {
        try (KafkaProducer<String, byte[]> p = producer()) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    Topics.REPLICATION_EVENTS, envelope.kafkaKey(), CloudEventCodec.body(envelope));
            CloudEventCodec.headers(envelope).forEach((k, v) -> record.headers().add(k, v));
            p.send(record).get();
        }
    }
}
