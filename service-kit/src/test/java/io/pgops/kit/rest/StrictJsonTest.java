package io.pgops.kit.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link StrictJson} refuses, and how {@link JsonProblems} words each refusal. */
class StrictJsonTest {
    record Command(String reason, Boolean force, Long term, Instant scheduledAt, List<String> slots) {}

    record Counted(int count) {}

    private final ObjectMapper json = StrictJson.apply(new ObjectMapper().registerModule(new JavaTimeModule()));

    private String refusal(String body) {
        return refusal(body, Command.class);
    }

    private String refusal(String body, Class<?> type) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> json.readValue(body, type));
        Problems.Problem p = JsonProblems.problem(e);
        assertEquals(400, p.status());
        assertTrue(p.detail().length() <= 201, p.detail());
        return p.detail();
    }

    @Test
    void readsAWellFormedCommand() throws Exception {
        Command c = json.readValue("""
                {"reason":"x","force":true,"term":5,"scheduledAt":"2026-01-31T02:00:00Z","slots":["a"]}""", Command.class);
        assertEquals(new Command("x", true, 5L, Instant.parse("2026-01-31T02:00:00Z"), List.of("a")), c);
    }

    @Test
    void refusesANumberOrABooleanWhereAStringBelongs() {
        assertEquals("reason: expected a string, got a number", refusal("{\"reason\":5}"));
        assertEquals("reason: expected a string, got a number", refusal("{\"reason\":5.5}"));
        assertEquals("reason: expected a string, got a boolean", refusal("{\"reason\":true}"));
        assertEquals("slots[1]: expected a string, got a number", refusal("{\"slots\":[\"a\",1]}"));
    }

    @Test
    void refusesAStringWhereANumberOrABooleanBelongs() {
        assertEquals("term: expected an integer, got a string", refusal("{\"term\":\"5\"}"));
        assertEquals("term: expected an integer, got a number", refusal("{\"term\":1.5}"));
        assertEquals("force: expected true or false, got a string", refusal("{\"force\":\"true\"}"));
        assertEquals("force: expected true or false, got a number", refusal("{\"force\":1}"));
        assertEquals("term: expected an integer, got an empty string", refusal("{\"term\":\"\"}"));
        assertEquals("count: expected an integer, got no value", refusal("{\"count\":null}", Counted.class));
        assertEquals("count: expected an integer, got no value", refusal("{}", Counted.class));
    }

    @Test
    void refusesAnEmptyOrMalformedTimestamp() {
        assertTrue(refusal("{\"scheduledAt\":\"\"}").startsWith("scheduledAt: expected an ISO-8601 timestamp"));
        assertTrue(refusal("{\"scheduledAt\":\"tomorrow\"}").startsWith("scheduledAt: expected an ISO-8601 timestamp"));
    }

    @Test
    void refusesANumberWhereATimestampBelongs() {
        String expected = "scheduledAt: expected an ISO-8601 timestamp such as 2026-01-31T02:00:00Z, got ";
        assertEquals(expected + "a number", refusal("{\"scheduledAt\":1234567890}"));
        assertEquals(expected + "a number", refusal("{\"scheduledAt\":1234567890.5}"));
        assertEquals(expected + "a number", refusal("{\"scheduledAt\":-1}"));
        // Jackson also reads a string of digits as seconds since the epoch
        assertEquals(expected + "a string that is not one", refusal("{\"scheduledAt\":\"1234567890\"}"));
        assertEquals(expected + "a string that is not one", refusal("{\"scheduledAt\":\"1234567890.5\"}"));
    }

    @Test
    void namesTheTimestampFieldThatCameAsANumberAsAViolation() {
        JsonProcessingException e = assertThrows(
                JsonProcessingException.class, () -> json.readValue("{\"scheduledAt\":1234567890}", Command.class));
        assertEquals(
                List.of(Map.of(
                        "field",
                        "scheduledAt",
                        "message",
                        "expected an ISO-8601 timestamp such as 2026-01-31T02:00:00Z, got a number")),
                JsonProblems.problem(e).violations());
    }

    @Test
    void readsTimestampsWithAnOffsetOrFractionalSeconds() throws Exception {
        record Times(Instant at, OffsetDateTime offset, ZonedDateTime zoned) {}
        Times t = json.readValue("""
                {"at":"2026-01-31T02:00:00.123456Z","offset":"2026-01-31T03:00:00+01:00",\
                "zoned":"2026-01-31T02:00:00Z"}""", Times.class);
        assertEquals(Instant.parse("2026-01-31T02:00:00.123456Z"), t.at());
        assertEquals(Instant.parse("2026-01-31T02:00:00Z"), t.offset().toInstant());
        assertEquals(Instant.parse("2026-01-31T02:00:00Z"), t.zoned().toInstant());
        assertTrue(
                refusal("{\"offset\":1234567890}", Times.class).startsWith("offset: expected an ISO-8601 timestamp"));
        assertTrue(refusal("{\"zoned\":1234567890}", Times.class).startsWith("zoned: expected an ISO-8601 timestamp"));
    }

    @Test
    void aCopyOfTheMapperStillRefusesANumberWhereATimestampBelongs() {
        ObjectMapper copy = json.copy();
        assertThrows(JsonProcessingException.class, () -> copy.readValue("{\"scheduledAt\":5}", Command.class));
    }

    @Test
    void refusesAnArrayWhereAnObjectBelongs() {
        assertEquals("the body: expected an object, got an array", refusal("[{\"reason\":\"x\"}]"));
        assertEquals("reason: expected a string, got an array", refusal("{\"reason\":[\"x\"]}"));
    }

    @Test
    void refusesAnUnknownField() {
        assertTrue(refusal("{\"reason\":\"x\",\"taget\":\"node2\"}")
                .startsWith("taget: unknown field; expected one of ["));
    }

    @Test
    void refusesTrailingContent() {
        String garbage = refusal("{\"reason\":\"x\"} junk");
        assertTrue(garbage.startsWith("not valid JSON at line 1, column "), garbage);
        assertTrue(
                garbage.endsWith(
                        ": Unrecognized token 'junk': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                garbage);
        assertEquals("the body: unexpected content after the JSON value", refusal("{\"reason\":\"x\"} {}"));
    }

    @Test
    void refusesTruncatedJson() {
        assertTrue(
                refusal("{\"reason\":\"x\"").startsWith("the JSON ends too early at line 1, column 14 (truncated?)"));
    }

    @Test
    void refusesNestingPastTheLimitWithoutEchoingIt() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        JsonProcessingException e =
                assertThrows(JsonProcessingException.class, () -> json.readValue(deep, JsonNode.class));
        String detail = JsonProblems.problem(e).detail();
        assertTrue(detail.startsWith("the JSON exceeds a size or nesting limit"), detail);
        assertTrue(detail.length() <= 201, detail);
    }

    @Test
    void namesTheFieldOfABindingErrorAsAViolation() throws Exception {
        JsonProcessingException e =
                assertThrows(JsonProcessingException.class, () -> json.readValue("{\"reason\":5}", Command.class));
        assertEquals(
                List.of(Map.of("field", "reason", "message", "expected a string, got a number")),
                JsonProblems.problem(e).violations());
    }
}
