package io.pgops.audit.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The records of a consumed batch, each a message of its own (own metadata, own nack). */
final class KafkaBatches {
    private KafkaBatches() {}

    @SuppressWarnings("unchecked")
    static List<Message<byte[]>> records(Message<List<byte[]>> batch) {
        IncomingKafkaRecordBatchMetadata<?, ?> meta =
                batch.getMetadata(IncomingKafkaRecordBatchMetadata.class).orElse(null);
        if (meta != null
                && meta.getBatchedMessages().size() == batch.getPayload().size()) {
            List<Message<byte[]>> out =
                    new ArrayList<>(meta.getBatchedMessages().size());
            for (Message<?> m : meta.getBatchedMessages()) {
                out.add((Message<byte[]>) m);
            }
            return out;
        }
        // not from the Kafka connector: payloads without headers (each decodes as malformed)
        return batch.getPayload().stream().map(Message::of).toList();
    }
}
