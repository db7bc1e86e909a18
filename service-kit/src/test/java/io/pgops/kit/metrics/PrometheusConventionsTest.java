package io.pgops.kit.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PrometheusConventionsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    {
        registry.config().meterFilter(new PrometheusConventions());
    }

    @Test
    void camelCaseLabelNamesBecomeSnakeCase() {
        Timer.builder("http.client.requests")
                .tag("clientName", "none")
                .tag("uri", "/agent/status")
                .register(registry)
                .record(5, TimeUnit.MILLISECONDS);
        String text = registry.scrape();
        assertTrue(text.contains("client_name=\"none\""), text);
        assertFalse(text.contains("clientName"), text);
    }

    @Test
    void theUnnamedSqlClientsMetersGoUnderPostgresql() {
        Counter.builder("m..completed")
                .tag("clientType", "sql")
                .register(registry)
                .increment();
        String text = registry.scrape();
        assertTrue(text.contains("postgresql_completed_total{client_type=\"sql\""), text);
        assertFalse(text.contains("m__"), text);
    }

    @Test
    void kafkaMetersWithAnAbbreviatedUnitAreDroppedAndTheOthersKept() {
        Gauge.builder("kafka.consumer.io.time.ns.avg", () -> 1.0).register(registry);
        Gauge.builder("kafka.app.info.start.time.ms", () -> 1.0).register(registry);
        Gauge.builder("kafka.consumer.records.lag.max", () -> 3.0).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("process.cpu.time", this, x -> 5.0)
                .baseUnit("ns")
                .register(registry);
        String text = registry.scrape();
        assertFalse(text.contains("time_ns"), text);
        assertFalse(text.contains("time_ms"), text);
        assertFalse(text.contains("process_cpu_time"), text);
        assertTrue(text.contains("kafka_consumer_records_lag_max"), text);
    }

    @Test
    void aGaugeNamedCountLosesTheCountSuffix() {
        Gauge.builder("system.cpu.count", () -> 2.0).register(registry);
        Gauge.builder("kafka.producer.connection.count", () -> 1.0).register(registry);
        String text = registry.scrape();
        assertTrue(text.contains("system_cpus "), text);
        assertTrue(text.contains("kafka_producer_connections "), text);
        assertFalse(text.contains("_count "), text);
    }

    @Test
    void aMeterWithoutHelpGetsOneButPgopsMetersKeepTheirOwn() {
        Gauge.builder("netty.eventexecutor.tasks.pending", () -> 0.0).register(registry);
        Gauge.builder("pgops.test.gauge", () -> 0.0).description("a test gauge").register(registry);
        io.micrometer.core.instrument.LongTaskTimer.builder("http.server.connections")
                .register(registry);
        String text = registry.scrape();
        assertTrue(text.contains("# HELP netty_eventexecutor_tasks_pending tasks waiting in a Netty event loop"), text);
        assertTrue(text.contains("# HELP pgops_test_gauge a test gauge"), text);
        assertEquals("client_name", PrometheusConventions.snakeCase("clientName"));
    }

    @Test
    void aLibrarysLongTaskTimerIsDroppedForItsSamplesHaveNoHelpInPromtoolsEyes() {
        io.micrometer.core.instrument.LongTaskTimer.builder("http.server.connections")
                .register(registry);
        assertFalse(registry.scrape().contains("http_server_connections"));
    }
}
