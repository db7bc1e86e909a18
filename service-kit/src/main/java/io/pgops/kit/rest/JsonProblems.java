package io.pgops.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request body that could not be read answers 400 problem+json saying where and why: the field path
 * ({@code reason}, {@code slots[2]}, or "the body") and what was expected against what came ("expected a
 * string, got a number"), or where the JSON itself is broken. The detail never echoes the input beyond a
 * few dozen characters.
 *
 * <p>Quarkus REST rethrows Jackson's binding errors ({@link MismatchedInputException}: wrong type, unknown
 * field, trailing value) as they are, and wraps syntax and size errors (truncated JSON, garbage,
 * {@link StreamConstraintsException}) in a {@code WebApplicationException(400)}: {@link Problems#web}
 * unwraps those to here. An empty body reaches the method as {@code null} and its {@code @NotNull} answers.
 */
public class JsonProblems {
    /** The message of a body parameter's {@code @NotNull}: an empty body reaches the method as null. */
    public static final String BODY_REQUIRED = "a JSON body is required";

    static final String MALFORMED = "Malformed JSON";
    static final String INVALID = "Invalid request body";
    private static final int MAX_NAME = 64;
    private static final int MAX_DETAIL = 200;
    private static final Pattern COERCE = Pattern.compile(
            "^Cannot coerce (empty String|String|Integer|Float|Floating-point|Boolean)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TOKEN = Pattern.compile("\\(token `JsonToken\\.([A-Z_]+)`\\)");

    /** Beats Quarkus' own mapper of this type (an empty 400 outside dev mode). */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return response(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return response(e);
    }

    public static Response response(JsonProcessingException e) {
        return Response.status(400)
                .type(Problems.PROBLEM_JSON)
                .entity(problem(e))
                .build();
    }

    /** The problem+json body for a body Jackson could not read. */
    public static Problems.Problem problem(JsonProcessingException e) {
        if (e instanceof MismatchedInputException m) {
            return binding(m);
        }
        String at = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        String detail;
        if (e instanceof StreamConstraintsException) {
            detail = "the JSON exceeds a size or nesting limit" + at + ": " + firstSentence(e.getOriginalMessage());
        } else if (e instanceof JsonEOFException) {
            detail = "the JSON ends too early" + at + " (truncated?): " + firstSentence(e.getOriginalMessage());
        } else {
            detail = "not valid JSON" + at + ": " + firstSentence(e.getOriginalMessage());
        }
        return problem(MALFORMED, shorten(detail), List.of());
    }

    private static Problems.Problem binding(MismatchedInputException e) {
        String field = path(e.getPath());
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field; expected one of "
                    + u.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .toList();
        } else if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
            message = "unexpected content after the JSON value";
        } else if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("No content to map")) {
            message = BODY_REQUIRED;
        } else {
            String expected = expected(e.getTargetType());
            String got = got(e);
            message = expected == null
                    ? "cannot be read" + (got == null ? "" : " from " + got)
                    : "expected " + expected + (got == null ? "" : ", got " + got);
        }
        String label = field.isEmpty() ? "the body" : field;
        return problem(
                INVALID,
                shorten(label + ": " + message),
                List.of(Map.of("field", field.isEmpty() ? "body" : field, "message", shorten(message))));
    }

    private static Problems.Problem problem(String title, String detail, List<Map<String, String>> violations) {
        return new Problems.Problem(URI.create("about:blank"), title, 400, detail, violations);
    }

    /** {@code members[0].name}; empty for the body itself. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                String name = r.getFieldName();
                b.append(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) + "…" : name);
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class
                || type == Byte.class
                || type == byte.class
                || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (TemporalAccessor.class.isAssignableFrom(type)) {
            return "an ISO-8601 timestamp such as 2026-01-31T02:00:00Z";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /**
     * What came instead, read from Jackson's message: the parser has dropped its current token by the time
     * the exception arrives (it is closed), and Jackson's messages name the shape in stable words.
     */
    static String got(MismatchedInputException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher coerce = COERCE.matcher(message);
        if (coerce.find()) {
            return switch (coerce.group(1).toLowerCase(Locale.ROOT)) {
                case "empty string" -> "an empty string";
                case "string" -> "a string";
                case "boolean" -> "a boolean";
                default -> "a number";
            };
        }
        if (e instanceof InvalidFormatException f) {
            String kind = f.getValue() instanceof String
                    ? "a string"
                    : f.getValue() instanceof Number
                            ? "a number"
                            : f.getValue() instanceof Boolean ? "a boolean" : "a value";
            return kind + " that is not one";
        }
        if (message.startsWith("Cannot map `null`")) {
            return "no value";
        }
        Matcher token = TOKEN.matcher(message);
        if (token.find()) {
            try {
                return got(JsonToken.valueOf(token.group(1)));
            } catch (IllegalArgumentException unknownToken) {
                return null;
            }
        }
        return null;
    }

    static String got(JsonToken token) {
        return switch (token) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    /** Jackson's message up to its first line or source reference: no location, no input beyond a token. */
    private static String firstSentence(String message) {
        if (message == null) {
            return "unreadable";
        }
        String m = message.lines().findFirst().orElse("");
        int source = m.indexOf(" (start marker at");
        return source > 0 ? m.substring(0, source) : m;
    }

    private static String shorten(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }
}
