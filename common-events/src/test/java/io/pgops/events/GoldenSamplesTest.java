package io.pgops.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every event type has a golden CloudEvent (structured mode) in {@code src/test/resources/golden/<type>.json}.
 * The golden file is the contract other services and languages can test against: changing it is a contract
 * change. To start a new one from {@link Samples}, run with {@code -Dpgops.golden.write=true} and review it.
 */
class GoldenSamplesTest {
    private static final Path GOLDEN = TestFiles.moduleDir().resolve("src/test/resources/golden");
    private static final String FLOW = "6f1d2c3b-8a4e-4f5a-9b7c-0d1e2f3a4b5c";

    static Stream<Class<? extends PgopsEvent>> eventTypes() {
        return EventTypes.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void goldenFileParsesToTheSampleAndTheSampleSerialisesToIt(Class<? extends PgopsEvent> type) throws Exception {
        String typeName = EventTypes.typeOf(type);
        Path file = GOLDEN.resolve(typeName + ".json");
        PgopsEvent sample = Samples.of(type);
        if (TestFiles.writeRequested("pgops.golden.write")) {
            Files.createDirectories(GOLDEN);
            byte[] json = CloudEventCodec.structured(goldenEnvelope(sample));
            Files.writeString(file, TestFiles.pretty(CloudEventCodec.json().readTree(json)), UTF_8);
        }
        assertTrue(
                Files.exists(file),
                "no golden file for " + typeName + ": write " + GOLDEN.relativize(file.toAbsolutePath())
                        + " (-Dpgops.golden.write=true starts it from Samples; review it before committing)");

        byte[] golden = Files.readAllBytes(file);
        EventEnvelope parsed = CloudEventCodec.decodeStructured(golden);
        assertEquals(sample, parsed.data(), typeName + ": the golden file no longer parses to the sample");
        assertEquals(typeName, parsed.type(), file + " carries the wrong type");

        EventEnvelope constructed = new EventEnvelope(
                parsed.id(),
                parsed.source(),
                typeName,
                sample.cluster(),
                parsed.time(),
                parsed.correlationId(),
                sample);
        JsonNode expected = tree(golden);
        JsonNode actual = tree(CloudEventCodec.structured(constructed));
        assertEquals(expected, actual, typeName + ": the sample no longer serialises to the golden file");
    }

    @Test
    void everyGoldenFileBelongsToAKnownEventType() throws IOException {
        Set<String> known = EventTypes.all().stream().map(EventTypes::typeOf).collect(Collectors.toSet());
        Set<String> stray = new HashSet<>();
        try (Stream<Path> files = Files.list(GOLDEN)) {
            files.map(f -> f.getFileName().toString().replaceFirst("\\.json$", ""))
                    .filter(name -> !known.contains(name))
                    .forEach(stray::add);
        }
        assertEquals(Set.of(), stray, "golden files without an event type: delete them or restore the type");
    }

    @Test
    void everyEventTypeHasASample() {
        assertEquals(
                Set.copyOf(EventTypes.all()),
                Samples.all().keySet(),
                "Samples must hold exactly one instance of every event record");
    }

    private static EventEnvelope goldenEnvelope(PgopsEvent sample) {
        String type = EventTypes.typeOf(sample);
        String source = EventTypes.isCommand(sample.getClass())
                ? "/pgops/operator-api"
                : "/pgops/" + EventTypes.areaOf(sample.getClass()) + "-service";
        return new EventEnvelope(
                UUID.nameUUIDFromBytes(type.getBytes(UTF_8)).toString(),
                source,
                type,
                sample.cluster(),
                emittedAt(sample),
                FLOW,
                sample);
    }

    /** Shortly after the fact's own time (its last field by convention), so the golden reads like a real one. */
    private static Instant emittedAt(PgopsEvent sample) {
        RecordComponent[] components = sample.getClass().getRecordComponents();
        RecordComponent last = components[components.length - 1];
        if (sample instanceof OperatorCommand || last.getType() != Instant.class) {
            return Instant.parse("2026-11-25T02:15:00.012345Z");
        }
        try {
            return ((Instant) last.getAccessor().invoke(sample)).plusNanos(12_345_000);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode tree(byte[] json) throws IOException {
        return CloudEventCodec.json().readTree(json);
    }
}
