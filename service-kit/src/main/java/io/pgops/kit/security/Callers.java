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
        String principal = identity.getPrincipal().getName();
        if (principal == null || !PRINCIPAL.matcher(principal).matches()) {
            // it goes into events and the audit trail: a signed token does not make any string a name
            throw new jakarta.ws.rs.BadRequestException(
                    "the token's principal is not a name pgops records (letters," + " digits and ._@+- , at most 128)");
        }
        return new Requester(principal, roles);
    }

    /** What a principal may look like in a command event and the audit trail. */
    public static final java.util.regex.Pattern PRINCIPAL = java.util.regex.Pattern.compile("[A-Za-z0-9._@+-]{1,128}");

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
