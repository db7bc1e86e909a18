package io.pgops.replication.domain;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The coordinator's credential for one agent operation: a token signed with the coordinators' key (only they
 * hold it; agents hold the public half), whose claims bind it to one node ({@code aud} {@code <cluster>/<node>}),
 * one operation ({@code op}), one term ({@code term}), one operation id ({@code jti}) and the digest of the
 * command's every field ({@code cmd}). The signature and expiry are checked where the key is ({@code
 * AgentCommandKeys}); this class decides whether verified claims fit the request they came with.
 *
 * <p>Replay: a credential only fits its own command, on its own node, for a minute at most. Sent again within
 * that minute, the agent answers the remembered outcome of that operation id (it never runs one twice) or
 * refuses it as expired by the command's deadline or as older than the term it has seen.
 */
public final class AgentCredential {
    /** The header that carries it. */
    public static final String HEADER = "X-Pgops-Agent-Credential";
    /** The issuer every coordinator signs as, and every agent expects. */
    public static final String ISSUER = "pgops-coordinator";

    /** The operation names, as in the agent's paths. */
    public static final String STATUS = "status";
    /** The operation of a lease credential: the coordinators' statement that they granted a primary its lease. */
    public static final String LEASE = "lease";

    /**
     * Why a credential was refused: the wire codes of {@code AgentCommandRefused.refusal}.
     */
    public enum Refusal {
        MISSING("missing"),
        MALFORMED("malformed"),
        BAD_SIGNATURE("bad-signature"),
        EXPIRED("expired"),
        WRONG_ISSUER("wrong-issuer"),
        WRONG_NODE("wrong-node"),
        WRONG_OPERATION("wrong-operation"),
        OTHER_COMMAND("other-command"),
        NO_VERIFY_KEY("no-verify-key");

        public final String code;

        Refusal(String code) {
            this.code = code;
        }
    }

    /** A refusal and its reason in words (never the credential itself). */
    public record Refused(Refusal refusal, String reason) {}

    /**
     * What a verified credential says.
     *
     * @param term null for {@link #STATUS}
     * @param operationId null for {@link #STATUS}
     * @param command the command digest ({@link #digest}); null for {@link #STATUS}
     */
    public record Claims(
            String issuer, List<String> audience, String operation, Long term, String operationId, String command) {}

    /** The command's fields, in the order the digest reads them. */
    public record Command(
            long term,
            String operationId,
            Instant deadline,
            String primary,
            String waitPast,
            String synchronousStandbyNames,
            List<String> slots) {}

    private AgentCredential() {}

    /** The audience of {@code node}'s agent. */
    public static String audience(String cluster, String node) {
        return cluster + "/" + node;
    }

    /**
     * SHA-256 over every field of the command, each length-prefixed (a null apart from an empty string), as
     * base64url: the same command always gives the same digest; any change of a field, another.
     */
    public static String digest(Command c) {
        StringBuilder sb = new StringBuilder();
        field(sb, Long.toString(c.term()));
        field(sb, c.operationId());
        field(sb, c.deadline() == null ? null : c.deadline().toString());
        field(sb, c.primary());
        field(sb, c.waitPast());
        field(sb, c.synchronousStandbyNames());
        if (c.slots() == null) {
            field(sb, null);
        } else {
            field(sb, Integer.toString(c.slots().size()));
            c.slots().forEach(s -> field(sb, s));
        }
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void field(StringBuilder sb, String value) {
        if (value == null) {
            sb.append("-;");
        } else {
            sb.append(value.length()).append(':').append(value).append(';');
        }
    }

    /** The claims a coordinator signs for {@code operation} of {@code command} on {@code audience}. */
    public static Claims forCommand(String audience, String operation, Command command) {
        return new Claims(ISSUER, List.of(audience), operation, command.term(), command.operationId(), digest(command));
    }

    /** The claims a coordinator signs to read {@code audience}'s report. */
    public static Claims forStatus(String audience) {
        return new Claims(ISSUER, List.of(audience), STATUS, null, null, null);
    }

    /** The claims a coordinator signs when it grants {@code audience}'s node a lease under {@code term}. */
    public static Claims forLease(String audience, long term) {
        return new Claims(ISSUER, List.of(audience), LEASE, term, null, null);
    }

    /**
     * Whether verified claims are a lease credential of the primary {@code audience} (the node that asks for a
     * confirmation): empty when they are, else why not. Its term is {@link LeaseConfirmation#judge}'s to weigh.
     */
    public static Optional<Refused> checkLease(Claims claims, String audience) {
        Optional<Refused> r = check(claims, audience, LEASE, null);
        if (r.isEmpty() && claims.term() == null) {
            return refused(Refusal.MALFORMED, "a lease credential without a term");
        }
        return r;
    }

    /**
     * Whether verified claims fit a request for {@code operation} on the agent of {@code audience}, with {@code
     * command} (null for {@link #STATUS}): empty when they do, else why not.
     */
    public static Optional<Refused> check(Claims claims, String audience, String operation, Command command) {
        if (!ISSUER.equals(claims.issuer())) {
            return refused(Refusal.WRONG_ISSUER, "issued by '" + claims.issuer() + "', not by " + ISSUER);
        }
        if (claims.audience() == null || !claims.audience().contains(audience)) {
            return refused(Refusal.WRONG_NODE, "meant for " + claims.audience() + ", and this agent is " + audience);
        }
        if (!operation.equals(claims.operation())) {
            return refused(
                    Refusal.WRONG_OPERATION,
                    "signed for operation '" + claims.operation() + "', asked for '" + operation + "'");
        }
        if (command == null) {
            return Optional.empty();
        }
        if (!Objects.equals(claims.term(), command.term())
                || !Objects.equals(claims.operationId(), command.operationId())
                || !digest(command).equals(claims.command())) {
            return refused(
                    Refusal.OTHER_COMMAND,
                    "signed for another command (term " + claims.term() + ", operation " + claims.operationId()
                            + "), not this one (term " + command.term() + ", operation " + command.operationId()
                            + ")");
        }
        return Optional.empty();
    }

    private static Optional<Refused> refused(Refusal r, String reason) {
        return Optional.of(new Refused(r, reason));
    }
}
