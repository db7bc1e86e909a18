package io.pgops.kit.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes what the libraries register follow Prometheus' conventions, so that {@code promtool check metrics}
 * passes on every service's {@code /q/metrics}: snake_case label names (the Vert.x clients say
 * {@code clientName}), no {@code _count} suffix on a plain gauge, no abbreviated unit in a name (the Kafka
 * clients' {@code *_time_ns_*} meters and the JVM's {@code process_cpu_time_ns} are dropped, as is the HTTP server's long task timer: a renamed nanosecond count would lie about its unit, and
 * Kafka's own {@code *_avg}/{@code *_max} latencies in seconds stay), a help text on every meter, and the SQL
 * client's meters under {@code postgresql_} where an unnamed client gave them the prefix {@code m__}.
 * pgops' own meters ({@code pgops_*}) are left as they are: they must carry their own help text.
 */
public final class PrometheusConventions implements MeterFilter {
    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");
    /** Kafka client meters whose name carries an abbreviated unit (ns, ms). */
    private static final Pattern ABBREVIATED_UNIT = Pattern.compile("^kafka\\..*\\.(ns|ms)(\\..*)?$");
    /** Base units Prometheus would append to the name as they are ("process.cpu.time" in ns). */
    private static final java.util.Set<String> ABBREVIATED_BASE_UNITS = java.util.Set.of("ns", "us", "ms");
    /** The Vert.x SQL client without a metrics name registers under "m..". */
    private static final Pattern UNNAMED_SQL_CLIENT = Pattern.compile("^m\\.+");

    /** Help texts for the framework meters that register none. */
    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("http.client.requests", "HTTP requests this service made as a client, by target and outcome"),
            Map.entry("http.server.active.requests", "HTTP requests this service is answering now"),
            Map.entry("netty.allocator.memory.pinned", "bytes of Netty's pooled memory pinned by buffers in use"),
            Map.entry("netty.allocator.memory.used", "bytes of memory Netty's allocator holds"),
            Map.entry("netty.allocator.pooled.arenas", "Netty allocator arenas"),
            Map.entry("netty.allocator.pooled.cache.size", "Netty allocator cache size, by cache type"),
            Map.entry("netty.allocator.pooled.chunk.size", "bytes per Netty allocator chunk"),
            Map.entry("netty.allocator.pooled.threadlocal.caches", "Netty allocator thread-local caches"),
            Map.entry("netty.eventexecutor.tasks.pending", "tasks waiting in a Netty event loop"));

    @Produces
    @Singleton
    public static MeterFilter prometheusConventions() {
        return new PrometheusConventions();
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        boolean abbreviated = ABBREVIATED_UNIT.matcher(id.getName()).matches()
                || ABBREVIATED_BASE_UNITS.contains(String.valueOf(id.getBaseUnit()));
        // the Prometheus registry writes a long task timer as a summary family whose samples are named
        // *_active_count and *_duration_sum, which promtool reads as meters without help: only the Vert.x
        // HTTP server's connection timer is one, and its open connections are not worth a lint failure
        boolean longTask =
                id.getType() == Meter.Type.LONG_TASK_TIMER && !id.getName().startsWith("pgops.");
        return abbreviated || longTask ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = UNNAMED_SQL_CLIENT.matcher(id.getName()).replaceFirst("postgresql.");
        if (id.getType() == Meter.Type.GAUGE && name.endsWith(".count")) {
            // "system.cpu.count" → "system.cpus"; "kafka.consumer.connection.count" → "…connections"
            name = name.substring(0, name.length() - ".count".length()) + "s";
        }
        List<Tag> tags = id.getTags().stream()
                .map(t -> Tag.of(snakeCase(t.getKey()), t.getValue()))
                .toList();
        Meter.Id out = id.withName(name).replaceTags(tags);
        String help = out.getDescription();
        if ((help == null || help.isBlank()) && !name.startsWith("pgops.") && id.syntheticAssociation() == null) {
            help = HELP.getOrDefault(name, "(the library that registers it gives no description)");
            out = new Meter.Id(name, Tags.of(out.getTagsAsIterable()), out.getBaseUnit(), help, out.getType());
        }
        return out;
    }

    static String snakeCase(String key) {
        return CAMEL.matcher(key).replaceAll("$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
