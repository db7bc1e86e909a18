package io.pgops.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.audit.Samples;
import io.pgops.events.CloudEventCodec;
import io.pgops.events.EventEnvelope;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    static final Instant T0 = Instant.parse("2026-11-25T02:15:00Z");

    @Test
    void wellFormedTextsAreReadWithTheirRootMembers() throws Exception {
        for (String text : List.of(
                "{}",
                " {\"a\" : 1 }\n",
                "{\"a\":[1,-0,2.5e-3,1E+9,true,false,null,{},[]],\"b\":\"x\\\"y\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}",
                "{\"é\":\"ünïcødé 😀\",\"a\":{\"b\":{\"c\":[[[]]]}}}",
                "[1,2]",
                "\"text\"",
                "0",
                "-12.5E3",
                "null",
                "{\"a\":1,\"a\":\"last\"}")) {
            JsonText t = JsonText.read(text.getBytes(StandardCharsets.UTF_8));
            JsonNode tree = CloudEventCodec.json().readTree(text);
            assertEquals(tree.getNodeType().name(), jacksonKind(t.kind()), text);
            if (tree.isObject()) {
                assertEquals(tree.size(), t.members().size(), text);
                for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    JsonText.Value v = t.member(f.getKey());
                    if (f.getValue().isTextual()) {
                        assertEquals(f.getValue().textValue(), t.string(v), text);
                    } else {
                        assertEquals(f.getValue(), CloudEventCodec.json().readTree(t.raw(v)), text);
                    }
                }
            }
        }
    }

    @Test
    void malformedTextsAreRefusedWithWhereAndWhy() {
        for (String text : List.of(
                "",
                "   ",
                "{not json",
                "{\"a\":1,}",
                "{\"a\":1} {}",
                "{\"a\":01}",
                "{\"a\":1.}",
                "{\"a\":.5}",
                "{\"a\":+1}",
                "{\"a\":NaN}",
                "{'a':1}",
                "{a:1}",
                "{\"a\":1 /* c */}",
                "{\"a\":tru}",
                "{\"a\":truex}",
                "{\"a\":\"\t\"}",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12G4\"}",
                "[1,]",
                "[1 2]",
                "{\"a\" 1}",
                "{\"a\":\"unterminated}")) {
            JsonText.Invalid e = assertThrows(
                    JsonText.Invalid.class, () -> JsonText.read(text.getBytes(StandardCharsets.UTF_8)), text);
            assertTrue(e.getMessage().contains("at byte"), e.getMessage());
            assertThrows(Exception.class, () -> jackson(text.getBytes(StandardCharsets.UTF_8)), text);
        }
    }

    @Test
    void onlyWellFormedUtf8IsAccepted() {
        for (byte[] bad : List.of(
                bytes(0x22, 0xC0, 0xAF, 0x22), // overlong '/'
                bytes(0x22, 0xE0, 0x80, 0xAF, 0x22), // overlong
                bytes(0x22, 0xED, 0xA0, 0x80, 0x22), // an encoded surrogate
                bytes(0x22, 0xF4, 0x90, 0x80, 0x80, 0x22), // above U+10FFFF
                bytes(0x22, 0xC3, 0x22), // truncated
                bytes(0x22, 0x80, 0x22), // a lone continuation byte
                bytes(0xC3, 0xA9))) { // outside a string
            assertThrows(JsonText.Invalid.class, () -> JsonText.read(bad));
        }
    }

    @Test
    void nestingIsBoundedAsJacksonBoundsIt() throws Exception {
        String deep = "[".repeat(JsonText.MAX_DEPTH) + "]".repeat(JsonText.MAX_DEPTH);
        JsonText.read(deep.getBytes(StandardCharsets.UTF_8));
        jackson(deep.getBytes(StandardCharsets.UTF_8));
        String deeper = "[" + deep + "]";
        assertThrows(JsonText.Invalid.class, () -> JsonText.read(deeper.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Whatever it accepts, Jackson (the query API, every consumer) accepts too: random damage to real
     * bodies is either refused, or read by both alike.
     */
    @Test
    void everythingItAcceptsJacksonAcceptsAlike() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (EventEnvelope e : Samples.failover("fuzz", T0)) {
            bodies.add(CloudEventCodec.body(e));
            bodies.add(RecordedForm.of(e, CloudEventCodec.body(e)));
        }
        Random random = new Random(20261203);
        byte[] alphabet = "{}[]\",:\\ \t\n0123456789-+.eEtrufalsn\u00e9".getBytes(StandardCharsets.UTF_8);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] body = bodies.get(random.nextInt(bodies.size())).clone();
            int edits = 1 + random.nextInt(3);
            for (int k = 0; k < edits; k++) {
                body = mutate(body, random, alphabet);
            }
            JsonText t;
            try {
                t = JsonText.read(body);
            } catch (JsonText.Invalid e) {
                refused++;
                continue;
            }
            accepted++;
            JsonNode tree;
            try {
                tree = jackson(body);
                if (tree.isObject()) {
                    new JsonObject(new String(body, StandardCharsets.UTF_8)); // as the query API reads it
                }
            } catch (Exception e) {
                fail("accepted but Jackson refuses: " + new String(body, StandardCharsets.UTF_8) + ": " + e);
                return;
            }
            assertEquals(tree.getNodeType().name(), jacksonKind(t.kind()));
            if (tree.isObject()) {
                assertEquals(tree.size(), t.members().size(), new String(body, StandardCharsets.UTF_8));
                for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (f.getValue().isTextual()) {
                        assertEquals(f.getValue().textValue(), t.string(t.member(f.getKey())));
                    }
                }
            }
        }
        assertTrue(accepted > 1_000 && refused > 1_000, accepted + " accepted, " + refused + " refused");
    }

    private static byte[] mutate(byte[] body, Random random, byte[] alphabet) {
        int at = random.nextInt(body.length);
        byte b = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
        return switch (random.nextInt(3)) {
            case 0 -> { // replace
                byte[] out = body.clone();
                out[at] = b;
                yield out;
            }
            case 1 -> { // delete
                byte[] out = new byte[body.length - 1];
                System.arraycopy(body, 0, out, 0, at);
                System.arraycopy(body, at + 1, out, at, body.length - at - 1);
                yield out;
            }
            default -> { // insert
                byte[] out = new byte[body.length + 1];
                System.arraycopy(body, 0, out, 0, at);
                out[at] = b;
                System.arraycopy(body, at, out, at + 1, body.length - at);
                yield out;
            }
        };
    }

    private static JsonNode jackson(byte[] body) throws Exception {
        JsonNode tree = CloudEventCodec.json().readTree(body);
        if (tree == null || tree.isMissingNode()) {
            throw new IllegalArgumentException("no content");
        }
        return tree;
    }

    private static String jacksonKind(JsonText.Kind kind) {
        return switch (kind) {
            case TRUE, FALSE -> "BOOLEAN";
            default -> kind.name();
        };
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
