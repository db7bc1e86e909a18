package io.pgops.replication.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgops.replication.domain.AgentCredential;
import io.pgops.replication.domain.AgentCredential.Claims;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.testkit.TestStack;
import java.time.Instant;

/** Signs agent credentials in tests as a coordinator would: the claims of {@link AgentCredential}, RS256. */
final class AgentCredentials {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentCredentials() {}

    /** A credential of {@code claims} signed with this run's coordinators' key, valid 30 s. */
    static String signed(Claims claims) {
        return signed(claims, TestStack.get().agentCommands());
    }

    /** As {@link #signed(Claims)}, signed by {@code key} (a forger's, in the tests of refusals). */
    static String signed(Claims claims, Tokens key) {
        long now = Instant.now().getEpochSecond();
        ObjectNode c = JSON.createObjectNode()
                .put("iss", claims.issuer())
                .put("op", claims.operation())
                .put("iat", now)
                .put("exp", now + 30);
        claims.audience().forEach(c.putArray("aud")::add);
        if (claims.term() != null) {
            c.put("term", claims.term());
        }
        if (claims.operationId() != null) {
            c.put("jti", claims.operationId());
        }
        if (claims.command() != null) {
            c.put("cmd", claims.command());
        }
        return key.sign(c);
    }

    /** A coordinator's credential for {@code op} with {@code command} on {@code node} of {@code cluster}. */
    static String forCommand(String cluster, String node, String op, AgentCredential.Command command) {
        return signed(AgentCredential.forCommand(AgentCredential.audience(cluster, node), op, command));
    }

    /** A coordinator's credential to read the report of {@code node}'s agent. */
    static String forStatus(String cluster, String node) {
        return signed(AgentCredential.forStatus(AgentCredential.audience(cluster, node)));
    }

    /** A command of a term, operation id and deadline, nothing else. */
    static AgentCredential.Command command(long term, String operationId, Instant deadline) {
        return new AgentCredential.Command(term, operationId, deadline, null, null, null, null);
    }
}
