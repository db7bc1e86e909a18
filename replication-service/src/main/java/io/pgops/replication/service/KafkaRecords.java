package io.pgops.replication.service;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.MalformedEventException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** CloudEvents ⇄ plain Kafka records (binary mode, key = cluster id), for the coordinator's own clients. */
final class KafkaRecords {
    private KafkaRecords() {}

    static ProducerRecord<String, byte[]> of(String topic, EventEnvelope e) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, e.kafkaKey(), CloudEventCodec.body(e));
        CloudEventCodec.headers(e).forEach((k, v) -> r.headers().add(k, v));
        return r;
    }

    static EventEnvelope decode(ConsumerRecord<String, byte[]> r) throws MalformedEventException {
        Map<String, byte[]> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value());
        }
        return CloudEventCodec.decode(headers, r.value());
    }

    /** The record as it came, plus why it could not be handled, for pgops.deadletter. */
    static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> r, String reason) {
        ProducerRecord<String, byte[]> d = new ProducerRecord<>(io.pgops.events.Topics.DEADLETTER, r.key(), r.value());
        for (Header h : r.headers()) {
            d.headers().add(h);
        }
        d.headers().add("pgops-error", reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        d.headers().add("dead-letter-reason", reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        d.headers().add("dead-letter-topic", r.topic().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return d;
    }
}
