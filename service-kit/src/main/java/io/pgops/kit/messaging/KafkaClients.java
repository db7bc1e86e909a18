package io.pgops.kit.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;

/**
 * The one door to raw Kafka clients (the ones SmallRye's channels do not cover): every client gets
 * every {@code kafka.*} setting of the service, as SmallRye's channels do, so TLS, SASL and the broker
 * list configured once reach these clients too. Consumers read committed records only: a decision a
 * fenced coordinator aborted is never a fact.
 */
@ApplicationScoped
public class KafkaClients {
    private static final String PREFIX = "kafka.";

    private final Map<String, String> common;

    @Inject
    public KafkaClients(Config config) {
        this(settings(config));
    }

    /** For tests and tools without CDI: the given settings, without the {@code kafka.} prefix. */
    public KafkaClients(Map<String, String> common) {
        this.common = Map.copyOf(common);
    }

    private static Map<String, String> settings(Config config) {
        Map<String, String> m = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                config.getOptionalValue(name, String.class).ifPresent(v -> m.put(name.substring(PREFIX.length()), v));
            }
        }
        return m;
    }

    /** The broker list, for messages. */
    public String bootstrap() {
        return common.getOrDefault(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "");
    }

    /**
     * A transactional, idempotent producer ({@code acks=all}); {@code transactionTimeout} bounds how
     * long a transaction left open by a crash can hold back read-committed readers of its partitions.
     */
    public KafkaProducer<String, byte[]> transactionalProducer(
            String transactionalId, Duration transactionTimeout, String clientId) {
        Properties p = base();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** An idempotent producer ({@code acks=all}) for records that are not part of a decision. */
    public KafkaProducer<String, byte[]> producer(String clientId) {
        return producer(clientId, Map.of());
    }

    /** As {@link #producer(String)}; {@code extra} adds or overrides settings (e.g. how long a send may block). */
    public KafkaProducer<String, byte[]> producer(String clientId, Map<String, String> extra) {
        Properties p = base();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.putAll(extra);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A read-committed consumer without auto-commit; {@code extra} adds or overrides settings. */
    public KafkaConsumer<String, byte[]> consumer(String clientId, Map<String, String> extra) {
        Properties p = base();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.putAll(extra);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** An admin client; {@code extra} adds or overrides settings (e.g. its timeouts). */
    public org.apache.kafka.clients.admin.Admin admin(Map<String, String> extra) {
        Properties p = new Properties();
        common.forEach((k, v) -> {
            // only what an admin client knows (no producer or consumer settings: each would be warned about)
            if (org.apache.kafka.clients.admin.AdminClientConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        p.putAll(extra);
        return org.apache.kafka.clients.admin.Admin.create(p);
    }

    private Properties base() {
        Properties p = new Properties();
        common.forEach((k, v) -> {
            // (de)serialisers are the client's own business here; the rest applies to every client
            if (!k.endsWith(".serializer") && !k.endsWith(".deserializer")) {
                p.put(k, v);
            }
        });
        return p;
    }
}
