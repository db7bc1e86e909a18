package io.pgops.kit.health;

import io.pgops.kit.messaging.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the Kafka cluster answers a metadata request (every service needs it). */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
    private final String bootstrap;
    private final KafkaClients clients;
    private Admin admin;

    /** Asks with the service's every {@code kafka.*} setting (TLS and SASL too), as its channels connect. */
    public KafkaReadinessCheck(KafkaClients clients) {
        this.clients = clients;
        this.bootstrap = clients.bootstrap();
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes =
                    admin().describeCluster().nodes().get(2, TimeUnit.SECONDS).size();
            return HealthCheckResponse.named("kafka")
                    .status(nodes > 0)
                    .withData("bootstrap", bootstrap)
                    .withData("brokers", nodes)
                    .build();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.named("kafka")
                    .down()
                    .withData("bootstrap", bootstrap)
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = clients.admin(Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000",
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000"));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
