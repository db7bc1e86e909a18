package io.pgops.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.stack.postgres.ClusterCa;
import io.pgops.stack.testkit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's secure listener, which every service the test kit and the local stack start uses: TLS verified against
 * the stack's CA, then SASL/SCRAM-SHA-512. The right user gets in; a user granted nothing reads and writes no pgops topic; a wrong password, a plaintext client and a client
 * that trusts another CA do not.
 */
class KafkaSecureListenerIT {
    private static final TestStack STACK = TestStack.get();

    /** The services' settings ({@code kafka.}-less), as the stack gives them to every service it starts. */
    private static Map<String, Object> servicesSettings() {
        Map<String, Object> m = new HashMap<>();
        STACK.serviceConfig().forEach((k, v) -> {
            if (k.startsWith("kafka.")) {
                m.put(k.substring("kafka.".length()), v);
            }
        });
        m.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 6000);
        return m;
    }

    private static Throwable describe(Map<String, Object> settings) {
        try (Admin admin = Admin.create(settings)) {
            int brokers =
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
            assertEquals(1, brokers);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException | InterruptedException e) {
            return e;
        }
    }

    @Test
    void theServicesUserGetsInOverTlsAndScram() {
        Map<String, Object> s = servicesSettings();
        assertEquals("SASL_SSL", s.get("security.protocol"));
        assertFalse(
                s.get("bootstrap.servers").equals(STACK.kafkaBootstrap()),
                "the services use the secure listener, not the plaintext one");
        assertEquals(null, describe(s));
    }

    @Test
    void aUserGrantedNothingNeitherReadsNorWritesPgopsTopics() throws Exception {
        Map<String, Object> s = new HashMap<>(STACK.kafkaUserWithoutGrants("outsider"));
        s.put("request.timeout.ms", 5000);
        s.put("default.api.timeout.ms", 10000);
        s.put("max.block.ms", 10000);
        s.put("enable.idempotence", false); // else the missing cluster grant would be what refuses it
        s.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        s.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(s)) {
            ExecutionException e = assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                                    io.pgops.events.Topics.REPLICATION_COMMANDS, "local", "{}"))
                            .get(15, TimeUnit.SECONDS));
            assertInstanceOf(org.apache.kafka.common.errors.TopicAuthorizationException.class, e.getCause());
        }
        s.put("group.id", "outsider");
        s.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        s.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(s)) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(io.pgops.events.Topics.TOPOLOGY, 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThrows(
                    org.apache.kafka.common.errors.AuthorizationException.class,
                    () -> consumer.poll(java.time.Duration.ofSeconds(10)));
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> s = servicesSettings();
        s.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pgops-services\""
                        + " password=\"not-the-password\";");
        assertInstanceOf(SaslAuthenticationException.class, describe(s));
    }

    @Test
    void aPlaintextClientOnTheSecurePortGetsNothing() {
        Map<String, Object> s = servicesSettings();
        s.put("security.protocol", "PLAINTEXT");
        s.remove("sasl.mechanism");
        s.remove("sasl.jaas.config");
        Throwable t = describe(s);
        assertTrue(t != null, "a plaintext client was answered by the secure listener");
    }

    @Test
    void aClientThatTrustsAnotherCaRefusesTheBroker(@TempDir Path tmp) throws Exception {
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        ClusterCa another = new ClusterCa(other, other).ensure();
        Map<String, Object> s = servicesSettings();
        s.put("ssl.truststore.location", another.caCertificate().toString());
        assertInstanceOf(SslAuthenticationException.class, describe(s));
    }
}
