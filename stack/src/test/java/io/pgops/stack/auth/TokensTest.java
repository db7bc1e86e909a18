package io.pgops.stack.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
    @TempDir
    Path secrets;

    @Test
    void theKeyPairIsMadeOnceAndThePrivateKeyIsReadableByItsOwnerOnly() throws Exception {
        Tokens first = Tokens.in(secrets);
        String before = Files.readString(secrets.resolve(Tokens.PUBLIC_KEY));

        Tokens second = Tokens.in(secrets);

        assertEquals(before, Files.readString(second.publicKeyFile()));
        assertEquals(first.publicKeyFile(), second.publicKeyFile());
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve(Tokens.PRIVATE_KEY))));
    }

    @Test
    void aRoleTokenIsAnRs256JwtOfTheStackIssuerWithTheRoleInGroups() throws Exception {
        Tokens tokens = Tokens.in(secrets);

        String jwt = tokens.forRole(Tokens.OPERATOR, Duration.ofMinutes(5));

        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length);
        ObjectMapper json = new ObjectMapper();
        JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("RS256", header.get("alg").asText());
        assertEquals(Tokens.ISSUER, claims.get("iss").asText());
        assertEquals("pgops-operator@local", claims.get("upn").asText());
        assertEquals(
                List.of("pgops-operator"), List.of(claims.get("groups").get(0).asText()));
        assertEquals(300, claims.get("exp").asLong() - claims.get("iat").asLong());
        assertTrue(verifies(jwt, tokens.publicKeyFile()), "signed by the stack's private key");
    }

    @Test
    void aTokenOfAnUnknownKeyDoesNotVerifyWithTheStackKey() throws Exception {
        Tokens stack = Tokens.in(secrets);

        String forged = Tokens.unknownKey().forRole(Tokens.ADMIN);

        assertFalse(verifies(forged, stack.publicKeyFile()));
    }

    private static boolean verifies(String jwt, Path publicKey) throws Exception {
        int dot = jwt.lastIndexOf('.');
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(Tokens.readPublic(publicKey));
        rs256.update(jwt.substring(0, dot).getBytes(UTF_8));
        return rs256.verify(Base64.getUrlDecoder().decode(jwt.substring(dot + 1)));
    }
}
