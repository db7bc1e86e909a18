package io.pgops.health.it;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.EventTypes;
import io.pgops.events.PgopsEvent;
import io.pgops.events.Topics;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.testkit.TestStack;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Events other services would publish, put on the test broker as CloudEvents. */
final class ItEvents {
    private ItEvents() {}

    /** Publishes on the event's topic; a TopologyChanged on the compacted pgops.topology, as the service reads it. */
    static void publish(PgopsEvent event) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        EventEnvelope envelope = EventEnvelope.wrap(event, "/pgops/it", null);
        String topic = event instanceof TopologyChanged ? Topics.TOPOLOGY : EventTypes.topicOf(event.getClass());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(topic, envelope.kafkaKey(), CloudEventCodec.body(envelope));
            CloudEventCodec.headers(envelope).forEach((k, v) -> record.headers().add(k, v));
            producer.send(record).get();
        }
    }

    /**
     * Publishes on the event's topic inside a Kafka transaction that is then aborted: what a coordinator
     * fenced by its successor leaves behind. No pgops consumer may ever act on it.
     */
    static void publishAborted(PgopsEvent event) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-zombie-" + UUID.randomUUID());
        EventEnvelope envelope = EventEnvelope.wrap(event, "/pgops/it", null);
        String topic = event instanceof TopologyChanged ? Topics.TOPOLOGY : EventTypes.topicOf(event.getClass());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(topic, envelope.kafkaKey(), CloudEventCodec.body(envelope));
            CloudEventCodec.headers(envelope).forEach((k, v) -> record.headers().add(k, v));
            producer.send(record).get(); // written to the partition: a read_uncommitted reader sees it now
            producer.abortTransaction();
        }
    }

    /** The test cluster's topology with the given target and current primary (null while none). */
    static TopologyChanged topology(long term, String target, String current, List<PgNode> nodes, String reason) {
        List<Member> members = nodes.stream()
                .map(n -> new Member(
                        NodeName.of(n.name()),
                        n.name().equals(current) ? Role.PRIMARY : Role.STANDBY,
                        "127.0.0.1",
                        n.port(),
                        null,
                        n.name().equals("node2")))
                .toList();
        return new TopologyChanged(
                ClusterId.of("it"),
                new Term(term),
                NodeName.of(target),
                current == null ? null : NodeName.of(current),
                new Timeline(1),
                members,
                reason,
                Instant.now());
    }
}
