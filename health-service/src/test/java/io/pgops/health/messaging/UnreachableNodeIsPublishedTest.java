package io.pgops.health.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.events.health.NodeUnreachable;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = UnreachableNodeResource.class, restrictToAnnotatedClass = true)
class UnreachableNodeIsPublishedTest {

    @Inject
    @org.eclipse.microprofile.reactive.messaging.spi.Connector("smallrye-in-memory")
    InMemoryConnector connector;

    @Test
    void aNodeRefusingConnectionsIsPublishedOnceAsUnreachableInACloudEventKeyedByItsCluster() throws Exception {
        InMemorySink<byte[]> sink = connector.sink("health-events");
        await("NodeUnreachable for lab/db1 on the in-memory channel")
                .atMost(Duration.ofSeconds(20))
                .until(() -> !sink.received().isEmpty());

        Message<byte[]> message = sink.received().getFirst();
        @SuppressWarnings("unchecked")
        OutgoingKafkaRecordMetadata<String> meta =
                message.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals(Topics.HEALTH_EVENTS, meta.getTopic());
        assertEquals("lab", meta.getKey());
        Map<String, byte[]> headers = new HashMap<>();
        for (Header h : meta.getHeaders()) {
            headers.put(h.key(), h.value());
        }
        EventEnvelope envelope = CloudEventCodec.decode(headers, message.getPayload());
        NodeUnreachable event = assertInstanceOf(NodeUnreachable.class, envelope.data());
        assertEquals(UnreachableNodeResource.CLOSED_PORT, event.port());
        assertEquals(3, event.consecutiveFailures());
        assertTrue(event.error().contains("refused"), event.error());

        // the outage goes on, probes go on: still one event (debounce, no storm)
        int probesSeen = 10;
        await().during(Duration.ofMillis(probesSeen * 200))
                .atMost(Duration.ofSeconds(5))
                .until(() -> sink.received().size() == 1);
    }
}
