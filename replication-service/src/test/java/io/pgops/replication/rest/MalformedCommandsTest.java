package io.pgops.replication.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.EventEnvelope;
import io.pgops.events.PgopsEvent;
import io.pgops.events.Requester;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.TopologyChanged;
import io.pgops.kit.messaging.KafkaClients;
import io.pgops.replication.service.CommandPublisher;
import io.pgops.replication.service.TopologyView;
import io.pgops.stack.auth.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.enterprise.inject.Vetoed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16: every command endpoint answers a body it cannot read with 400 problem+json that names the field
 * and what was expected, and publishes nothing. The publisher records instead of sending to Kafka; the
 * topology view holds one committed topology of {@code local} (node1 primary), so a well-formed command
 * does reach the publisher (the control case).
 */
@QuarkusTest
@QuarkusTestResource(value = CommandsOnlyResource.class, restrictToAnnotatedClass = true)
class MalformedCommandsTest {

    /**
     * A command endpoint, a body it accepts, how a wrong type in its main field is worded, and, for a body with
     * a timestamp, that field and a body giving it as a number (seconds since the epoch); null without one.
     */
    record Endpoint(
            String path,
            String valid,
            int validStatus,
            String field,
            String expected,
            String wrongType,
            String timestamp,
            String numericTimestamp) {
        static Endpoint operator(String path, String valid) {
            return new Endpoint(path, valid, 202, "reason", "a string", valid.replace("\"test\"", "5"), null, null);
        }

        /** The agent's own operations: this instance is no agent, so a readable body is answered 404. */
        static Endpoint agent(String op) {
            String rest = ",\"operationId\":\"op-0000001\",\"deadline\":\"2026-12-05T12:00:00Z\"}";
            return new Endpoint(
                    "/agent/" + op,
                    "{\"term\":1" + rest,
                    404,
                    "term",
                    "an integer",
                    "{\"term\":\"1\"" + rest,
                    "deadline",
                    "{\"term\":1,\"operationId\":\"op-0000001\",\"deadline\":1796472000}");
        }

        /** This endpoint, whose body also takes {@code field}, a timestamp, given as a number in {@code body}. */
        Endpoint withTimestamp(String field, String body) {
            return new Endpoint(path, valid, validStatus, this.field, expected, wrongType, field, body);
        }

        String wrongTypeDetail() {
            return field + ": expected " + expected + ", got " + (field.equals("term") ? "a string" : "a number");
        }

        @Override
        public String toString() {
            return "POST " + path;
        }
    }

    /** The cases of issue 16, each with what the answer must say. */
    enum Malformed {
        WRONG_TYPE,
        ARRAY_FOR_OBJECT,
        DEEPLY_NESTED,
        TRUNCATED,
        TRAILING_GARBAGE,
        TRAILING_VALUE,
        MISSPELT_FIELD,
        EMPTY,
        /** Only for a body with a timestamp: Jackson would read the number as seconds since the epoch. */
        NUMERIC_TIMESTAMP;

        boolean appliesTo(Endpoint e) {
            return this != NUMERIC_TIMESTAMP || e.timestamp() != null;
        }

        String body(Endpoint e) {
            String open = e.valid().substring(0, e.valid().length() - 1);
            return switch (this) {
                case WRONG_TYPE -> e.wrongType();
                case ARRAY_FOR_OBJECT -> "[" + e.valid() + "]";
                case DEEPLY_NESTED -> "{\"" + e.field() + "\":" + "[".repeat(2000) + "]".repeat(2000) + "}";
                case TRUNCATED -> open;
                case TRAILING_GARBAGE -> e.valid() + " junk";
                case TRAILING_VALUE -> e.valid() + " " + e.valid();
                case MISSPELT_FIELD -> open + ",\"taget\":\"node2\"}";
                case EMPTY -> "";
                case NUMERIC_TIMESTAMP -> e.numericTimestamp();
            };
        }

        String says(Endpoint e) {
            return switch (this) {
                case WRONG_TYPE -> e.wrongTypeDetail();
                case ARRAY_FOR_OBJECT -> "the body: expected an object, got an array";
                case DEEPLY_NESTED -> e.field() + ": expected " + e.expected() + ", got an array";
                case TRUNCATED -> "the JSON ends too early";
                case TRAILING_GARBAGE -> "Unrecognized token 'junk'";
                case TRAILING_VALUE -> "the body: unexpected content after the JSON value";
                case MISSPELT_FIELD -> "taget: unknown field; expected one of";
                case EMPTY -> "a JSON body is required";
                case NUMERIC_TIMESTAMP ->
                    e.timestamp() + ": expected an ISO-8601 timestamp such as 2026-01-31T02:00:00Z, got a number";
            };
        }
    }

    static final List<Endpoint> COMMANDS = List.of(
            Endpoint.operator("/clusters/local/promote", "{\"node\":\"node2\",\"reason\":\"test\"}"),
            Endpoint.operator("/clusters/local/switchover", "{\"reason\":\"test\"}")
                    .withTimestamp("scheduledAt", "{\"reason\":\"test\",\"scheduledAt\":1234567890}"),
            Endpoint.operator("/clusters/local/nodes/node2/reinit", "{\"reason\":\"test\"}"),
            Endpoint.operator("/clusters/local/pause", "{\"reason\":\"test\"}"),
            Endpoint.operator("/clusters/local/resume", "{\"reason\":\"test\"}"),
            Endpoint.agent("fence"),
            Endpoint.agent("promote"),
            Endpoint.agent("follow"),
            Endpoint.agent("rejoin"),
            Endpoint.agent("reinit"),
            Endpoint.agent("start"),
            Endpoint.agent("configure"));

    static Stream<Endpoint> commands() {
        return COMMANDS.stream();
    }

    static Stream<Arguments> everyCommandAndCase() {
        List<Arguments> all = new ArrayList<>();
        for (Endpoint e : COMMANDS) {
            for (Malformed m : Malformed.values()) {
                if (m.appliesTo(e)) {
                    all.add(Arguments.of(e, m));
                }
            }
        }
        return all.stream();
    }

    /** Records what would have gone to Kafka (vetoed: a mock, not a second bean of the type). */
    @Vetoed
    static final class RecordingPublisher extends CommandPublisher {
        final List<PgopsEvent> published = new CopyOnWriteArrayList<>();
        final List<Requester> requesters = new CopyOnWriteArrayList<>();

        RecordingPublisher() {
            super(new KafkaClients(Map.of("bootstrap.servers", "127.0.0.1:1")));
        }

        @Override
        public EventEnvelope publish(PgopsEvent command) {
            return publish(command, null);
        }

        @Override
        public EventEnvelope publish(PgopsEvent command, Requester requester) {
            published.add(command);
            if (requester != null) {
                requesters.add(requester);
            }
            return EventEnvelope.wrap(command, "/pgops/test", null, requester);
        }
    }

    /** One committed topology of {@code local}: node1 primary, node2 its standby, term 1, not paused. */
    @Vetoed
    static final class OneTopology extends TopologyView {
        static final TopologyChanged LOCAL = new TopologyChanged(
                ClusterId.of("local"),
                Term.of(1),
                NodeName.of("node1"),
                NodeName.of("node1"),
                Timeline.of(1),
                List.of(
                        new Member(
                                NodeName.of("node1"),
                                Role.PRIMARY,
                                "127.0.0.1",
                                5432,
                                null,
                                false,
                                "running",
                                null,
                                0L,
                                List.of()),
                        new Member(
                                NodeName.of("node2"),
                                Role.STANDBY,
                                "127.0.0.1",
                                5433,
                                null,
                                true,
                                "streaming",
                                null,
                                0L,
                                List.of())),
                "bootstrap",
                Instant.parse("2026-12-01T00:00:00Z"));

        OneTopology() {
            super(new KafkaClients(Map.of("bootstrap.servers", "127.0.0.1:1")));
        }

        @Override
        public Optional<TopologyChanged> latest(ClusterId cluster) {
            return cluster.equals(LOCAL.cluster()) ? Optional.of(LOCAL) : Optional.empty();
        }
    }

    RecordingPublisher publisher;

    @BeforeEach
    void recordInsteadOfPublishing() {
        publisher = new RecordingPublisher();
        QuarkusMock.installMockForType(publisher, CommandPublisher.class);
        QuarkusMock.installMockForType(new OneTopology(), TopologyView.class);
    }

    private static Response post(String path, String contentType, String body) {
        // an admin may send every command: what is checked here is the body
        return given().header("Authorization", CommandsOnlyResource.TOKENS.bearer(Tokens.ADMIN))
                .contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .when()
                .post(path);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyCommandAndCase")
    void aBodyThatCannotBeReadIsAnswered400ProblemJsonNamingWhatWasExpectedAndNothingIsPublished(
            Endpoint e, Malformed m) {
        Response r = post(e.path(), "application/json", m.body(e));
        r.then().statusCode(400).header("Content-Type", startsWith("application/problem+json"));
        JsonPath problem = r.jsonPath();
        assertEquals(400, problem.getInt("status"));
        String detail = problem.getString("detail");
        assertTrue(detail.length() <= 201, "the detail must not echo the input: " + detail.length() + " chars");
        String said = detail + " " + problem.getList("violations.message");
        assertTrue(said.contains(m.says(e)), "expected \"" + m.says(e) + "\" in " + r.asString());
        assertEquals(List.of(), publisher.published, "a malformed command must not be published");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aWellFormedBodyIsReadAndAnOperatorsCommandIsPublished(Endpoint e) {
        post(e.path(), "application/json", e.valid()).then().statusCode(e.validStatus());
        assertEquals(e.validStatus() == 202 ? 1 : 0, publisher.published.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aBodyThatIsNotJsonIsAnswered415ProblemJsonAndNothingIsPublished(Endpoint e) {
        post(e.path(), "text/plain", "reason=test")
                .then()
                .statusCode(415)
                .header("Content-Type", startsWith("application/problem+json"));
        assertEquals(List.of(), publisher.published);
    }

    @Test
    void cancellingAScheduledSwitchoverWithoutAReasonIsAnswered400AndNothingIsPublished() {
        given().header("Authorization", CommandsOnlyResource.TOKENS.bearer(Tokens.OPERATOR))
                .body("{\"reason\":\"in the body, not the query\"}")
                .contentType("application/json")
                .when()
                .delete("/clusters/local/switchover")
                .then()
                .statusCode(400)
                .header("Content-Type", startsWith("application/problem+json"))
                .body(containsString("reason"));
        assertEquals(List.of(), publisher.published);
    }
}
