package io.pgops.kit.rest;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Declares in every service's OpenAPI document ({@code /q/openapi}) what an operation that reads input
 * answers when the input is wrong: {@code 400 application/problem+json}, the {@link Problems.Problem} that
 * {@link Problems} (validation) and {@link JsonProblems} (a body that cannot be read) send. Added to each
 * operation with a request body or a parameter; a 400 an operation already documents keeps its description
 * (unless it is SmallRye's generated "Bad Request") and gains the problem+json content if it lacks it.
 *
 * <p>Found by Quarkus through its {@link OpenApiFilter} annotation (service-kit is in every service's index)
 * and run once when the document is built.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ProblemResponses implements OASFilter {
    /** The problem's schema, under {@code #/components/schemas}. */
    public static final String SCHEMA = "Problem";

    static final String BAD_REQUEST = "400";
    /** The description SmallRye OpenAPI gives the 400 of an operation with constraints. */
    static final String GENERATED = "Bad Request";

    static final String DESCRIPTION = "The request cannot be read or is invalid: a body that is not the documented"
            + " JSON (wrong type, unknown field, malformed or truncated JSON, content after the value, no body), or"
            + " a field or parameter that fails validation. The detail names the field and what was expected;"
            + " violations lists each field.";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        boolean declared = false;
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            boolean pathParameters =
                    item.getParameters() != null && !item.getParameters().isEmpty();
            for (Operation op : item.getOperations().values()) {
                boolean reads = op.getRequestBody() != null
                        || pathParameters
                        || (op.getParameters() != null && !op.getParameters().isEmpty());
                if (reads) {
                    declareBadRequest(op);
                    declared = true;
                }
            }
        }
        if (declared) {
            Components components = openAPI.getComponents();
            if (components == null) {
                components = OASFactory.createComponents();
                openAPI.setComponents(components);
            }
            components.addSchema(SCHEMA, problemSchema());
        }
    }

    private static void declareBadRequest(Operation op) {
        APIResponses responses = op.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            op.setResponses(responses);
        }
        APIResponse badRequest = responses.getAPIResponse(BAD_REQUEST);
        if (badRequest == null) {
            badRequest = OASFactory.createAPIResponse().description(DESCRIPTION);
            responses.addAPIResponse(BAD_REQUEST, badRequest);
        } else if (badRequest.getRef() != null) {
            return; // declared by reference elsewhere
        } else if (badRequest.getDescription() == null
                || badRequest.getDescription().isBlank()
                || badRequest.getDescription().equals(GENERATED)) {
            badRequest.setDescription(DESCRIPTION); // SmallRye's own for a validated operation says no more
        }
        Content content = badRequest.getContent();
        if (content == null) {
            content = OASFactory.createContent();
            badRequest.setContent(content);
        }
        if (!content.hasMediaType(Problems.PROBLEM_JSON)) {
            content.addMediaType(
                    Problems.PROBLEM_JSON,
                    OASFactory.createMediaType()
                            .schema(OASFactory.createSchema().ref(SCHEMA)));
        }
    }

    /** The shape of {@link Problems.Problem} as it is written (RFC 9457 with the fields' violations). */
    static Schema problemSchema() {
        Schema violation = object().description("One field that is wrong.")
                .addProperty(
                        "field",
                        string().description("The field: its JSON path in the body (reason, slots[2]; body for"
                                + " the body itself), or the parameter's name."))
                .addProperty(
                        "message", string().description("What is wrong with it, e.g. expected a string, got a number."))
                .required(List.of("field", "message"));
        return object().description("An RFC 9457 problem: what went wrong with the request.")
                .addProperty(
                        "type",
                        string().format("uri").description("Always about:blank: the status says what kind of problem."))
                .addProperty("title", string().description("A short summary, e.g. Invalid request body."))
                .addProperty(
                        "status",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.INTEGER)
                                .format("int32")
                                .description("The HTTP status."))
                .addProperty(
                        "detail",
                        string().description("What exactly is wrong, e.g. reason: expected a string, got a number"
                                + " (never more than a few dozen characters of the input)."))
                .addProperty(
                        "violations",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.ARRAY)
                                .items(violation)
                                .description("Each invalid field; empty when the problem is not about a field."))
                .required(List.of("type", "title", "status"))
                .examples(List.of(Map.of(
                        "type", "about:blank",
                        "title", "Invalid request body",
                        "status", 400,
                        "detail", "reason: expected a string, got a number",
                        "violations",
                                List.of(Map.of("field", "reason", "message", "expected a string, got a number")))));
    }

    private static Schema object() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT);
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    }
}
