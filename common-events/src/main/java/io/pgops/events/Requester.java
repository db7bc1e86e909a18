package io.pgops.events;

import io.pgops.events.internal.Require;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Who asked for a command, as the bearer token that authenticated the request named them: travels with the
 * command event as the CloudEvents extension attributes {@code pgopsprincipal} and {@code pgopsroles} (the
 * roles comma-separated, sorted), so that whoever acts on the command, or audits it, knows on whose authority.
 *
 * @param principal the token's {@code upn} (else its {@code sub}), e.g. {@code alice@example.com}
 * @param roles the pgops roles the token granted ({@code pgops-viewer}, {@code pgops-operator},
 *     {@code pgops-admin}), sorted
 */
public record Requester(String principal, List<String> roles) {
    /** What a role may look like on the wire: no comma, no space. */
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public Requester {
        Require.text(principal, "principal");
        Require.nonNull(roles, "roles");
        roles = roles.stream().sorted().distinct().toList();
        for (String role : roles) {
            if (!ROLE.matcher(role).matches()) {
                throw new IllegalArgumentException("role '" + role + "' is not a role name (letters, digits, . _ : -)");
            }
        }
    }

    /** The {@code pgopsroles} attribute's value. */
    public String rolesAttribute() {
        return String.join(",", roles);
    }

    /** Reads the two attributes back; {@code null} when the event has no principal attribute. */
    static Requester of(String principal, String roles) {
        if (principal == null) {
            return null;
        }
        List<String> list = roles == null || roles.isBlank()
                ? List.of()
                : Arrays.stream(roles.split(",")).map(String::strip).toList();
        return new Requester(principal, list);
    }
}
