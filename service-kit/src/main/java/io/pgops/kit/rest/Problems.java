package io.pgops.kit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error answers RFC 9457 problem+json. Validation names each bad field; an unexpected error
 * says only that it happened (its detail goes to the log, which never holds secrets).
 */
public class Problems {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(Problems.class);

    /** A problem+json body. */
    public record Problem(URI type, String title, int status, String detail, List<Map<String, String>> violations) {}

    public static Response response(int status, String title, String detail) {
        return Response.status(status)
                .type(PROBLEM_JSON)
                .entity(new Problem(URI.create("about:blank"), title, status, detail, List.of()))
                .build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Map<String, String>> violations =
                e.getConstraintViolations().stream().map(Problems::violation).toList();
        return Response.status(400)
                .type(PROBLEM_JSON)
                .entity(new Problem(
                        URI.create("about:blank"),
                        "Invalid request",
                        400,
                        violations.size() + " field(s) are invalid",
                        violations))
                .build();
    }

    private static Map<String, String> violation(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // drop the Java method name: "list.limit" -> "limit"
        String field = path.contains(".") ? path.substring(path.lastIndexOf('.') + 1) : path;
        return Map.of("field", field, "message", v.getMessage());
    }

    /** Quarkus REST wraps JSON syntax and size errors in a 400: those are answered by {@link JsonProblems}. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return JsonProblems.response(json);
        }
        int status = e.getResponse().getStatus();
        return response(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error answering a request", e);
        return response(500, "Internal error", "the request failed on the server; see the service log");
    }
}
