package io.pgops.stack.testkit;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What tests read from Kafka: every committed record of a topic so far, decoded as CloudEvents. It
 * reads {@code read_committed}, as every pgops consumer does, so a test never passes on a record whose
 * transaction was aborted.
 */
public final class KafkaTap {
    private KafkaTap() {}

    /** The committed events of {@code topic} up to its end now; records that are not events are left out. */
    public static List<EventEnvelope> events(String bootstrap, String topic) {
        List<EventEnvelope> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(bootstrap, topic)) {
            try {
                out.add(decode(r));
            } catch (MalformedEventException e) {
                // not an event: a test that wants those reads records()
            }
        }
        return out;
    }

    /** The committed records of {@code topic} up to its end (last stable offset) now. */
    public static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in 30 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    public static EventEnvelope decode(ConsumerRecord<String, byte[]> r) throws MalformedEventException {
        Map<String, byte[]> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value());
        }
        return CloudEventCodec.decode(headers, r.value());
    }
}
