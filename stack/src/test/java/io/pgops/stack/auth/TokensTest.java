package io.pgops.stack.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    @Test
    void aRotatedKeyStaysAcceptedUntilItIsRetiredAndTheNewOneSignsFromTheRotation() throws Exception {
        Tokens before = Tokens.in(secrets);
        String old = before.forRole(Tokens.VIEWER);
        assertTrue(acceptedBySmallRye(old, before.keySetFile()), "the key set verifies the current key's token");

        Tokens after = Tokens.rotate(secrets);
        assertNotEquals(before.keyId(), after.keyId());
        assertEquals(List.of(after.keyId(), before.keyId()), after.keyIds());
        String fresh = after.forRole(Tokens.VIEWER);
        assertEquals(after.keyId(), header(fresh).get("kid").asText());
        assertTrue(acceptedBySmallRye(fresh, after.keySetFile()), "the new key signs");
        assertTrue(acceptedBySmallRye(old, after.keySetFile()), "the rotated key is still accepted");
        assertEquals(after.keyId(), Tokens.in(secrets).keyId(), "the new key stays the signing key");

        assertEquals(List.of(before.keyId()), Tokens.retire(secrets));
        assertEquals(List.of(after.keyId()), Tokens.in(secrets).keyIds());
        assertFalse(acceptedBySmallRye(old, after.keySetFile()), "retired: refused");
        assertTrue(acceptedBySmallRye(fresh, after.keySetFile()));
        assertFalse(acceptedBySmallRye(Tokens.unknownKey().forRole(Tokens.ADMIN), after.keySetFile()));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve(Tokens.PRIVATE_KEY))));
    }

    /** As a service verifies it: SmallRye JWT with the key set as {@code mp.jwt.verify.publickey.location}. */
    private static boolean acceptedBySmallRye(String jwt, Path keySet) {
        io.smallrye.jwt.auth.principal.JWTAuthContextInfo info = new io.smallrye.jwt.auth.principal.JWTAuthContextInfo(
                keySet.toUri().toString(), Tokens.ISSUER);
        try {
            new io.smallrye.jwt.auth.principal.DefaultJWTParser(info).parse(jwt);
            return true;
        } catch (io.smallrye.jwt.auth.principal.ParseException e) {
            return false;
        }
    }

    private static JsonNode header(String jwt) throws Exception {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    private static boolean verifies(String jwt, Path publicKey) throws Exception {
        int dot = jwt.lastIndexOf('.');
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(Tokens.readPublic(publicKey));
        rs256.update(jwt.substring(0, dot).getBytes(UTF_8));
        return rs256.verify(Base64.getUrlDecoder().decode(jwt.substring(dot + 1)));
    }
}
