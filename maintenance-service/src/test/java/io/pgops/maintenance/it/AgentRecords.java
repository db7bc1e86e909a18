package io.pgops.maintenance.it;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.stack.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes agents' records on {@code pgops.replication.events} of the test kit's broker, as an agent would. */
final class AgentRecords {
    private AgentRecords() {}

    static void publish(HostFactsReported r) {
        EventEnvelope e = EventEnvelope.wrap(
                r, "/pgops/replication-service", UUID.randomUUID().toString());
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.REPLICATION_EVENTS, e.kafkaKey(), CloudEventCodec.body(e));
        CloudEventCodec.headers(e).forEach((k, v) -> record.headers().add(k, v));
        send(record);
    }

    /** A record with a host-facts type whose body is not JSON: the consumer must skip it and go on. */
    static void publishGarbage() {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.REPLICATION_EVENTS, "it", "{not json".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_type", "io.pgops.replication.host-facts-reported.v1".getBytes(StandardCharsets.UTF_8));
        record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        send(record);
    }

    private static void send(ProducerRecord<String, byte[]> record) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record).get();
        } catch (Exception ex) {
            throw new IllegalStateException("could not publish to " + Topics.REPLICATION_EVENTS, ex);
        }
    }
}
