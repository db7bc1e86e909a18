package io.pgops.kit.security;

import io.pgops.events.Requester;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;

/**
 * Who calls, as the verified bearer token says: the principal is the token's {@code upn} (else
 * {@code preferred_username}, else {@code sub}), the roles its {@code groups}. No header a client sets
 * names the principal any more.
 */
public final class Callers {
    private Callers() {}

    /** The caller as a command event names them ({@link Requester}): the principal and its pgops roles. */
    public static Requester requester(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            // @RolesAllowed lets no anonymous caller reach a command: this is a programming error
            throw new IllegalStateException("a command reached its resource without an authenticated caller");
        }
        List<String> roles = identity.getRoles().stream()
                .filter(r -> r.startsWith("pgops-"))
                .sorted()
                .toList();
        return new Requester(identity.getPrincipal().getName(), roles);
    }

    /**
     * Refuses (403 problem+json) a caller without {@code role}, for a command whose variant needs more than the
     * endpoint's annotation asks (a forced promotion).
     *
     * @param what the command variant, in words: "a forced promotion"
     */
    public static void require(SecurityIdentity identity, String role, String what) {
        if (!identity.hasRole(role)) {
            throw new ForbiddenException(what + " needs the role " + role);
        }
    }
}
