package io.pgops.audit;

import io.pgops.events.EventEnvelope;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * A batch shaped like the Kafka connector's: one message per record with its Kafka metadata and its
 * own nack (which records the reason, as the dead-letter queue would receive it), inside a batch
 * message whose ack stands for the offset commit.
 */
public final class KafkaBatch {
    private static final String TOPIC = "pgops.health.events";
    private static long nextOffset = 0;

    private final List<Record> records = new ArrayList<>();
    public final CompletableFuture<Void> acked = new CompletableFuture<>();
    /** The reason each nacked record (by index) was dead-lettered with. */
    public final Map<Integer, String> deadLettered = new ConcurrentHashMap<>();

    private record Record(Map<String, byte[]> headers, byte[] body) {}

    public static KafkaBatch of(List<EventEnvelope> events) {
        KafkaBatch b = new KafkaBatch();
        events.forEach(b::add);
        return b;
    }

    public KafkaBatch add(EventEnvelope e) {
        return add(Samples.headers(e), Samples.body(e));
    }

    public KafkaBatch add(Map<String, byte[]> headers, byte[] body) {
        records.add(new Record(headers, body));
        return this;
    }

    public KafkaBatch add(Map<String, byte[]> headers, String body) {
        return add(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    public Message<List<byte[]>> message() {
        List<Message<?>> messages = new ArrayList<>();
        List<byte[]> payloads = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> consumerRecords = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            RecordHeaders headers = new RecordHeaders();
            r.headers().forEach(headers::add);
            ConsumerRecord<String, byte[]> cr = new ConsumerRecord<>(
                    TOPIC,
                    0,
                    offset(),
                    System.currentTimeMillis(),
                    TimestampType.CREATE_TIME,
                    -1,
                    r.body().length,
                    "it",
                    r.body(),
                    headers,
                    Optional.empty());
            consumerRecords.add(cr);
            int index = i;
            messages.add(Message.of(
                    r.body(),
                    Metadata.of(new IncomingKafkaRecordMetadata<>(cr, "audit-in", 0, -1)),
                    () -> CompletableFuture.completedFuture(null),
                    reason -> {
                        deadLettered.put(index, reason.getMessage());
                        return CompletableFuture.completedFuture(null);
                    }));
            payloads.add(r.body());
        }
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new HashMap<>();
        byPartition.put(tp, consumerRecords);
        IncomingKafkaRecordBatchMetadata<String, byte[]> meta = new IncomingKafkaRecordBatchMetadata<>(
                new ConsumerRecords<>(byPartition, Map.of()),
                messages,
                "audit-in",
                0,
                Map.of(tp, new OffsetAndMetadata(nextOffset)),
                -1);
        return Message.of(payloads, Metadata.of(meta), () -> {
            acked.complete(null);
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Waits for the batch to be acknowledged (its rows durable). */
    public void awaitAck() {
        acked.orTimeout(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .join();
    }

    private static synchronized long offset() {
        return nextOffset++;
    }
}
