package io.pgops.kit.messaging;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.EventTypes;
import io.pgops.events.MalformedEventException;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * CloudEvents (binary mode) over SmallRye Kafka messages: every service publishes and decodes
 * through here, so the envelope is written in one place. Key = cluster id, topic = the event's.
 */
public final class EventMessages {
    private EventMessages() {}

    /** A message ready for an outgoing Kafka channel of byte[] values and String keys. */
    public static Message<byte[]> toMessage(EventEnvelope envelope) {
        RecordHeaders headers = new RecordHeaders();
        CloudEventCodec.headers(envelope).forEach(headers::add);
        OutgoingKafkaRecordMetadata<String> meta = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(EventTypes.topicOf(envelope.data().getClass()))
                .withKey(envelope.kafkaKey())
                .withHeaders(headers)
                .build();
        return Message.of(CloudEventCodec.body(envelope)).addMetadata(meta);
    }

    /**
     * Sends the event on {@code emitter} (an outgoing Kafka channel of byte[] values); the stage
     * completes once Kafka acknowledged it (acks=all) and fails when it was refused.
     */
    public static CompletionStage<Void> send(Emitter<byte[]> emitter, EventEnvelope envelope) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        emitter.send(toMessage(envelope)
                .withAck(() -> {
                    done.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(e -> {
                    done.completeExceptionally(e);
                    return CompletableFuture.completedFuture(null);
                }));
        return done;
    }

    /** Decodes an incoming record; a malformed one throws with the reason (nack it: it goes to the DLQ). */
    public static EventEnvelope decode(Message<byte[]> message) throws MalformedEventException {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        message.getMetadata(IncomingKafkaRecordMetadata.class).ifPresent(meta -> {
            for (Header h : meta.getHeaders()) {
                headers.put(h.key(), h.value());
            }
        });
        return CloudEventCodec.decode(headers, message.getPayload() == null ? new byte[0] : message.getPayload());
    }
}
