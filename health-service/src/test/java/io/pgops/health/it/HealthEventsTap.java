package io.pgops.health.it;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import io.pgops.events.Topics;
import io.pgops.stack.testkit.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads pgops.health.events of the test broker from the beginning, as a consumer of the suite would. */
final class HealthEventsTap implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<EventEnvelope> seen = new ArrayList<>();

    HealthEventsTap() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.get().kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "health-it-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.HEALTH_EVENTS));
    }

    /** Polls once and returns the first event so far matching, or null (for Awaitility conditions). */
    synchronized EventEnvelope find(Predicate<EventEnvelope> match) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            Map<String, byte[]> headers = new LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value());
            }
            try {
                seen.add(CloudEventCodec.decode(headers, r.value()));
            } catch (MalformedEventException e) {
                // other tests may put garbage on the topic: not ours to judge here
            }
        }
        return seen.stream().filter(match).findFirst().orElse(null);
    }

    synchronized List<EventEnvelope> all(Predicate<EventEnvelope> match) {
        find(e -> false);
        return seen.stream().filter(match).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
