package io.pgops.kit.security;

import io.pgops.kit.rest.Problems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 and 403 as problem+json, like every other error of the services. Authentication is lazy
 * ({@code quarkus.http.auth.proactive=false} in each service), so a missing, forged, expired or
 * wrong-issuer token fails inside Quarkus REST and lands here. The detail never says which check a
 * token failed: that goes to the service log only.
 */
public class AuthProblems {
    static final String CHALLENGE = "Bearer realm=\"pgops\"";

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated("this endpoint needs a bearer token (Authorization: Bearer <jwt>)");
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated(
                "the bearer token was refused: not signed by the configured key, expired, or from" + " another issuer");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        String detail = e.getMessage() == null || e.getMessage().isBlank()
                ? "the token's roles do not allow this request"
                : e.getMessage();
        return Problems.response(403, "Forbidden", detail);
    }

    private static Response unauthenticated(String detail) {
        Response r = Problems.response(401, "Unauthorized", detail);
        return Response.fromResponse(r)
                .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                .build();
    }
}
