package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.replication.config.AgentAuthConfig;
import io.pgops.replication.domain.AgentCredential;
import io.pgops.replication.domain.AgentCredential.Refusal;
import io.pgops.stack.auth.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing and verifying agent credentials with real keys (the stack's key files). */
class AgentCommandKeysTest {
    @TempDir
    static Path dir;

    static Tokens pair;
    static AgentCommandKeys coordinator;
    static AgentCommandKeys agent;
    static final String NODE2 = AgentCredential.audience("orders", "node2");
    static final AgentCredential.Command PROMOTE = new AgentCredential.Command(
            7, "op-00000001", Instant.parse("2026-12-06T23:50:00Z"), null, null, null, null);

    record Config(Optional<String> signingKey, Optional<List<String>> verifyKey, Duration credentialTtl)
            implements AgentAuthConfig {
        @Override
        public Duration clockSkew() {
            return Duration.ofSeconds(5);
        }

        @Override
        public Duration leaseCredentialTtl() {
            return Duration.ofHours(1);
        }

        @Override
        public Duration refusalReportInterval() {
            return Duration.ofSeconds(10);
        }
    }

    @BeforeAll
    static void keys() {
        pair = Tokens.agentCommands(dir);
        coordinator = new AgentCommandKeys(new Config(
                Optional.of(pair.privateKeyFile().toString()),
                Optional.of(List.of(pair.publicKeyFile().toString())),
                Duration.ofSeconds(30)));
        agent = new AgentCommandKeys(new Config(
                Optional.empty(), Optional.of(List.of(pair.publicKeyFile().toString())), Duration.ofSeconds(30)));
    }

    @Test
    void aSignedCredentialVerifiesWithThePublicKeyAndKeepsItsClaims() {
        AgentCredential.Claims claims = AgentCredential.forCommand(NODE2, "promote", PROMOTE);
        AgentCommandKeys.Verified v = agent.verify(coordinator.sign(claims));
        assertNull(v.refused(), () -> v.refused().reason());
        assertEquals(claims, v.claims());
    }

    @Test
    void refusesOneSignedByAnotherKey() {
        String forged = Tokens.unknownKey()
                .sign(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode()
                        .put("iss", AgentCredential.ISSUER)
                        .put("aud", NODE2)
                        .put("op", "promote")
                        .put("iat", Instant.now().getEpochSecond())
                        .put("exp", Instant.now().getEpochSecond() + 20));
        assertEquals(Refusal.BAD_SIGNATURE, agent.verify(forged).refused().refusal());
    }

    @Test
    void refusesAnExpiredOneAndOneValidForMoreThanAMinute() {
        long now = Instant.now().getEpochSecond();
        var claims = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode()
                .put("iss", AgentCredential.ISSUER)
                .put("aud", NODE2)
                .put("op", "promote");
        String expired = pair.sign(claims.deepCopy().put("iat", now - 120).put("exp", now - 60));
        assertEquals(Refusal.EXPIRED, agent.verify(expired).refused().refusal());
        String tooLong = pair.sign(claims.deepCopy().put("iat", now).put("exp", now + 3600));
        assertEquals(Refusal.EXPIRED, agent.verify(tooLong).refused().refusal());
    }

    @Test
    void aLeaseCredentialVerifiesForItsPrimaryAndTermAndForNoOtherNodeOrOperation() {
        String lease = coordinator.signLease(AgentCredential.forLease(NODE2, 7));
        AgentCommandKeys.Verified v = agent.verifyLease(lease);
        assertNull(v.refused(), () -> v.refused().reason());
        assertEquals(7L, v.claims().term());
        assertTrue(AgentCredential.checkLease(v.claims(), NODE2).isEmpty());
        assertEquals(
                Refusal.WRONG_NODE,
                AgentCredential.checkLease(v.claims(), AgentCredential.audience("orders", "node3"))
                        .orElseThrow()
                        .refusal());
        // valid for an hour: no command credential, whose validity is at most a minute
        assertEquals(Refusal.EXPIRED, agent.verify(lease).refused().refusal());
        // and a command's credential is no lease credential
        String command = coordinator.sign(AgentCredential.forCommand(NODE2, "promote", PROMOTE));
        assertEquals(
                Refusal.WRONG_OPERATION,
                AgentCredential.checkLease(agent.verifyLease(command).claims(), NODE2)
                        .orElseThrow()
                        .refusal());
    }

    @Test
    void refusesALeaseQuestionWithoutOrWithAForgedLeaseCredential() {
        assertEquals(Refusal.MISSING, agent.verifyLease(null).refused().refusal());
        long now = Instant.now().getEpochSecond();
        String forged = Tokens.unknownKey()
                .sign(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .objectNode()
                        .put("iss", AgentCredential.ISSUER)
                        .put("aud", NODE2)
                        .put("op", AgentCredential.LEASE)
                        .put("term", 7)
                        .put("iat", now)
                        .put("exp", now + 600));
        assertEquals(Refusal.BAD_SIGNATURE, agent.verifyLease(forged).refused().refusal());
    }

    @Test
    void whileTheKeyPairIsRotatedAnAgentHoldingBothPublicKeysTakesCredentialsSignedWithEither() throws Exception {
        Tokens next = Tokens.agentCommands(Files.createDirectories(dir.resolve("next")));
        AgentCommandKeys nextCoordinator = new AgentCommandKeys(new Config(
                Optional.of(next.privateKeyFile().toString()),
                Optional.of(List.of(next.publicKeyFile().toString())),
                Duration.ofSeconds(30)));
        AgentCommandKeys rolling = new AgentCommandKeys(new Config(
                Optional.empty(),
                Optional.of(List.of(pair.publicKeyFile().toString(), " " + next.publicKeyFile())),
                Duration.ofSeconds(30)));
        AgentCredential.Claims claims = AgentCredential.forCommand(NODE2, "promote", PROMOTE);
        assertNull(rolling.verify(coordinator.sign(claims)).refused());
        assertEquals(claims, rolling.verify(nextCoordinator.sign(claims)).claims());
        // the rotation done, the old key is dropped: what it signs is refused
        assertEquals(
                Refusal.BAD_SIGNATURE,
                nextCoordinator.verify(coordinator.sign(claims)).refused().refusal());
        // an expired credential is refused as expired whichever of the keys signed it
        long now = Instant.now().getEpochSecond();
        String expired = next.sign(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode()
                .put("iss", AgentCredential.ISSUER)
                .put("aud", NODE2)
                .put("op", "promote")
                .put("iat", now - 120)
                .put("exp", now - 60));
        assertEquals(Refusal.EXPIRED, rolling.verify(expired).refused().refusal());
    }

    @Test
    void refusesAnUnsignedOneAndGarbage() {
        String header = b64("{\"alg\":\"none\"}");
        long now = Instant.now().getEpochSecond();
        String body = b64("{\"iss\":\"pgops-coordinator\",\"aud\":\"" + NODE2 + "\",\"op\":\"promote\",\"iat\":" + now
                + ",\"exp\":" + (now + 20) + "}");
        assertEquals(
                Refusal.MALFORMED,
                agent.verify(header + "." + body + ".").refused().refusal());
        assertEquals(Refusal.MALFORMED, agent.verify("not.a.token").refused().refusal());
        assertEquals(Refusal.MISSING, agent.verify(null).refused().refusal());
        assertEquals(Refusal.MISSING, agent.verify(" ").refused().refusal());
    }

    @Test
    void anAgentWithoutAKeyRefusesEverythingAndACoordinatorWithoutOneCannotSign() throws Exception {
        AgentCommandKeys none =
                new AgentCommandKeys(new Config(Optional.empty(), Optional.empty(), Duration.ofSeconds(30)));
        String good = coordinator.sign(AgentCredential.forStatus(NODE2));
        assertEquals(Refusal.NO_VERIFY_KEY, none.verify(good).refused().refusal());
        assertThrows(IllegalStateException.class, () -> none.sign(AgentCredential.forStatus(NODE2)));
        assertThrows(IllegalStateException.class, () -> agent.sign(AgentCredential.forStatus(NODE2)));
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "hello");
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> AgentCommandKeys.readPublic(notAKey.toString()));
        assertEquals(-1, e.getMessage().indexOf("hello"), "a key file's content is never in a message");
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
