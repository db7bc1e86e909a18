package io.pgops.maintenance.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.maintenance.domain.BackendSession;
import io.pgops.maintenance.domain.EmergencyAction;
import io.pgops.maintenance.domain.EmergencyCriteria;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmergencyTokensTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32
    });

    static EmergencyTokens.Issued dryRun() {
        return new EmergencyTokens.Issued(
                "main",
                "node1",
                new EmergencyCriteria(
                        EmergencyAction.ofCode("terminate-idle").orElseThrow(),
                        Duration.ofSeconds(600),
                        "shop",
                        null,
                        "web",
                        Set.of("alice")),
                Set.of(
                        new BackendSession.Key(4242, Instant.parse("2026-12-07T09:00:00.123456Z")),
                        new BackendSession.Key(4243, null)),
                NOW.plusSeconds(120));
    }

    @Test
    void anInstanceGivenTheSameKeyTakesATokenAnotherIssuedWithEverythingItNames() {
        EmergencyTokens a = EmergencyTokens.ofReference("env:K", Map.of("K", KEY));
        EmergencyTokens b = EmergencyTokens.ofReference("env:K", Map.of("K", KEY));
        assertTrue(a.shared());
        String token = a.issue(dryRun());
        assertEquals(Optional.of(dryRun()), b.take(token, NOW).map(EmergencyTokens.Taken::issued));
    }

    @Test
    void aTokenIsTakenOncePerInstanceAndNotAfterItExpires() {
        EmergencyTokens a = EmergencyTokens.ofReference("env:K", Map.of("K", KEY));
        String token = a.issue(dryRun());
        assertTrue(a.take(token, NOW).isPresent());
        assertEquals(Optional.empty(), a.take(token, NOW), "used");
        assertEquals(Optional.empty(), a.take(a.issue(dryRun()), NOW.plusSeconds(121)), "expired");
    }

    @Test
    void aTokenOfAnotherKeyOrWithAnAlteredByteIsRefused() {
        EmergencyTokens a = EmergencyTokens.ofOwnKey();
        EmergencyTokens other = EmergencyTokens.ofOwnKey();
        String token = a.issue(dryRun());
        assertEquals(Optional.empty(), other.take(token, NOW), "another instance's own key");
        for (int i = 0; i < token.indexOf('.'); i += 7) {
            char c = token.charAt(i);
            String altered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
            assertEquals(Optional.empty(), a.take(altered, NOW), "altered at " + i);
        }
        assertEquals(Optional.empty(), a.take("no-dot", NOW));
        assertEquals(Optional.empty(), a.take("!!.!!", NOW));
        assertTrue(a.take(token, NOW).isPresent(), "the unaltered token still holds");
    }

    @Test
    void aKeyIsTakenFromAFileRawOrBase64AndABadReferenceNamesNoneOfIt(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("raw");
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) 0x81);
        Files.write(raw, bytes);
        Path text = dir.resolve("b64");
        Files.writeString(text, KEY + "\n");
        String token = EmergencyTokens.ofReference("env:K", Map.of("K", KEY)).issue(dryRun());
        assertTrue(EmergencyTokens.ofReference("file:" + text, Map.of())
                .take(token, NOW)
                .isPresent());
        assertTrue(EmergencyTokens.ofReference("file:" + raw, Map.of()).shared());
        IllegalArgumentException shortKey = assertThrows(
                IllegalArgumentException.class, () -> EmergencyTokens.ofReference("env:K", Map.of("K", "c2hvcnQ=")));
        assertTrue(shortKey.getMessage().contains("at least 32"), shortKey.getMessage());
        IllegalArgumentException inline =
                assertThrows(IllegalArgumentException.class, () -> EmergencyTokens.ofReference(KEY, Map.of()));
        assertTrue(!inline.getMessage().contains(KEY), "the key is never in the words");
    }
}
