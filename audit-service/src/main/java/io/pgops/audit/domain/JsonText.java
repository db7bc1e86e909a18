package io.pgops.audit.domain;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A strict reader of one JSON text (RFC 8259) in UTF-8 that checks the whole text and keeps only what
 * the audit needs: the kind of the root value and, when it is an object, where each of its members'
 * values lies. One pass over the bytes, no tree: what ingestion needs to tell well-formed JSON from
 * malformed without binding the event's record.
 *
 * <p>It accepts a subset of what Jackson accepts with its defaults (which the query API and every
 * consumer use): RFC 8259 exactly (no comments, single quotes, leading zeros, NaN, trailing commas or
 * unescaped control characters), well-formed UTF-8 only (RFC 3629: no overlong forms, surrogates or
 * code points above U+10FFFF), at most {@value #MAX_DEPTH} nested containers and numbers of at most
 * {@value #MAX_NUMBER} characters. So whatever it accepts, they read.
 */
public final class JsonText {
    static final int MAX_DEPTH = 1000;
    static final int MAX_NUMBER = 1000;
    static final int MAX_NAME = 50_000;

    /** The kind of a JSON value. */
    public enum Kind {
        OBJECT,
        ARRAY,
        STRING,
        NUMBER,
        TRUE,
        FALSE,
        NULL
    }

    /**
     * A member value of the root object.
     *
     * @param kind its kind
     * @param start index of its first byte
     * @param end index after its last byte
     */
    public record Value(Kind kind, int start, int end) {}

    /** Why a text is not JSON, and at which byte. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String what, int at) {
            super(what + " at byte " + at);
        }
    }

    private final byte[] b;
    private final int end;
    private int pos;
    private Kind rootKind;
    private Map<String, Value> members;

    private JsonText(byte[] bytes, int from, int to) {
        this.b = bytes;
        this.pos = from;
        this.end = to;
    }

    /** Reads {@code bytes[from, to)}, which must be exactly one JSON value, whitespace around it allowed. */
    public static JsonText read(byte[] bytes, int from, int to) throws Invalid {
        JsonText t = new JsonText(bytes, from, to);
        t.skipWhitespace();
        if (t.pos >= t.end) {
            throw new Invalid("no JSON value", t.pos);
        }
        t.rootKind = t.value(1);
        t.skipWhitespace();
        if (t.pos < t.end) {
            throw new Invalid("trailing content after the JSON value", t.pos);
        }
        return t;
    }

    public static JsonText read(byte[] bytes) throws Invalid {
        return read(bytes, 0, bytes.length);
    }

    public Kind kind() {
        return rootKind;
    }

    /**
     * The members of the root object by name (a repeated name keeps its last value, as Jackson's tree
     * does); empty when the root is not an object.
     */
    public Map<String, Value> members() {
        return members == null ? Map.of() : members;
    }

    /** A member's value, or null when the root object has no such member. */
    public Value member(String name) {
        return members == null ? null : members.get(name);
    }

    /** The text of a string value (escapes resolved). */
    public String string(Value v) {
        if (v.kind() != Kind.STRING) {
            throw new IllegalArgumentException("not a string: " + v.kind());
        }
        return decodeString(b, v.start(), v.end());
    }

    /** The value's JSON text as it appears. */
    public String raw(Value v) {
        return new String(b, v.start(), v.end() - v.start(), StandardCharsets.UTF_8);
    }

    private Kind value(int depth) throws Invalid {
        if (pos >= end) {
            throw new Invalid("unexpected end of input", pos);
        }
        byte c = b[pos];
        switch (c) {
            case '{' -> {
                object(depth);
                return Kind.OBJECT;
            }
            case '[' -> {
                array(depth);
                return Kind.ARRAY;
            }
            case '"' -> {
                string();
                return Kind.STRING;
            }
            case 't' -> {
                literal("true");
                return Kind.TRUE;
            }
            case 'f' -> {
                literal("false");
                return Kind.FALSE;
            }
            case 'n' -> {
                literal("null");
                return Kind.NULL;
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                    return Kind.NUMBER;
                }
                throw new Invalid("unexpected character " + describe(c), pos);
            }
        }
    }

    private void object(int depth) throws Invalid {
        if (depth > MAX_DEPTH) {
            throw new Invalid("nesting deeper than " + MAX_DEPTH, pos);
        }
        boolean root = depth == 1;
        if (root) {
            members = new HashMap<>(16);
        }
        pos++; // {
        skipWhitespace();
        if (pos < end && b[pos] == '}') {
            pos++;
            return;
        }
        while (true) {
            if (pos >= end || b[pos] != '"') {
                throw new Invalid("expected a member name", pos);
            }
            int nameStart = pos;
            string();
            if (pos - nameStart - 2 > MAX_NAME) {
                throw new Invalid("member name longer than " + MAX_NAME + " bytes", nameStart);
            }
            int nameEnd = pos;
            skipWhitespace();
            if (pos >= end || b[pos] != ':') {
                throw new Invalid("expected ':' after a member name", pos);
            }
            pos++;
            skipWhitespace();
            int valueStart = pos;
            Kind kind = value(depth + 1);
            if (root) {
                members.put(decodeString(b, nameStart, nameEnd), new Value(kind, valueStart, pos));
            }
            skipWhitespace();
            if (pos >= end) {
                throw new Invalid("unexpected end of input in an object", pos);
            }
            if (b[pos] == ',') {
                pos++;
                skipWhitespace();
            } else if (b[pos] == '}') {
                pos++;
                return;
            } else {
                throw new Invalid("expected ',' or '}' in an object, found " + describe(b[pos]), pos);
            }
        }
    }

    private void array(int depth) throws Invalid {
        if (depth > MAX_DEPTH) {
            throw new Invalid("nesting deeper than " + MAX_DEPTH, pos);
        }
        pos++; // [
        skipWhitespace();
        if (pos < end && b[pos] == ']') {
            pos++;
            return;
        }
        while (true) {
            value(depth + 1);
            skipWhitespace();
            if (pos >= end) {
                throw new Invalid("unexpected end of input in an array", pos);
            }
            if (b[pos] == ',') {
                pos++;
                skipWhitespace();
            } else if (b[pos] == ']') {
                pos++;
                return;
            } else {
                throw new Invalid("expected ',' or ']' in an array, found " + describe(b[pos]), pos);
            }
        }
    }

    /** Checks a string token from its opening quote; leaves pos after the closing quote. */
    private void string() throws Invalid {
        int start = pos;
        pos++; // opening quote
        while (true) {
            if (pos >= end) {
                throw new Invalid("unterminated string", start);
            }
            int c = b[pos] & 0xFF;
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\') {
                escape();
            } else if (c < 0x20) {
                throw new Invalid("unescaped control character " + describe((byte) c) + " in a string", pos);
            } else if (c < 0x80) {
                pos++;
            } else {
                utf8(c);
            }
        }
    }

    private void escape() throws Invalid {
        if (pos + 1 >= end) {
            throw new Invalid("unterminated escape", pos);
        }
        byte e = b[pos + 1];
        switch (e) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> pos += 2;
            case 'u' -> {
                if (pos + 6 > end) {
                    throw new Invalid("unterminated \\u escape", pos);
                }
                for (int i = pos + 2; i < pos + 6; i++) {
                    if (hex(b[i]) < 0) {
                        throw new Invalid("invalid \\u escape", pos);
                    }
                }
                pos += 6;
            }
            default -> throw new Invalid("invalid escape \\" + describe(e), pos);
        }
    }

    /** One multi-byte UTF-8 sequence (RFC 3629) whose lead byte is {@code c}. */
    private void utf8(int c) throws Invalid {
        int n;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            min = 0x10000;
        } else {
            throw new Invalid("invalid UTF-8 byte " + describe((byte) c), pos);
        }
        if (pos + n >= end) {
            throw new Invalid("truncated UTF-8 sequence", pos);
        }
        int cp = c & (0x3F >> n);
        for (int i = 1; i <= n; i++) {
            int cont = b[pos + i] & 0xFF;
            if ((cont & 0xC0) != 0x80) {
                throw new Invalid("invalid UTF-8 continuation byte " + describe((byte) cont), pos + i);
            }
            cp = (cp << 6) | (cont & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            throw new Invalid("invalid UTF-8 sequence", pos);
        }
        pos += n + 1;
    }

    private void number() throws Invalid {
        int start = pos;
        if (b[pos] == '-') {
            pos++;
        }
        if (pos >= end || !digit(b[pos])) {
            throw new Invalid("invalid number", start);
        }
        if (b[pos] == '0') {
            pos++;
            if (pos < end && digit(b[pos])) {
                throw new Invalid("leading zero in a number", start);
            }
        } else {
            while (pos < end && digit(b[pos])) {
                pos++;
            }
        }
        if (pos < end && b[pos] == '.') {
            pos++;
            if (pos >= end || !digit(b[pos])) {
                throw new Invalid("invalid number: no digit after '.'", start);
            }
            while (pos < end && digit(b[pos])) {
                pos++;
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            if (pos >= end || !digit(b[pos])) {
                throw new Invalid("invalid number: no digit in the exponent", start);
            }
            while (pos < end && digit(b[pos])) {
                pos++;
            }
        }
        if (pos - start > MAX_NUMBER) {
            throw new Invalid("number longer than " + MAX_NUMBER + " characters", start);
        }
        // a number must end where a value may end: 1true, 1a are not JSON
        if (pos < end) {
            byte c = b[pos];
            if (!(c == ',' || c == '}' || c == ']' || whitespace(c))) {
                throw new Invalid("unexpected character " + describe(c) + " after a number", pos);
            }
        }
    }

    private void literal(String word) throws Invalid {
        int n = word.length();
        if (pos + n > end) {
            throw new Invalid("unexpected end of input", pos);
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                throw new Invalid("invalid literal (expected " + word + ")", pos);
            }
        }
        pos += n;
        if (pos < end) {
            byte c = b[pos];
            if (!(c == ',' || c == '}' || c == ']' || whitespace(c))) {
                throw new Invalid("unexpected character " + describe(c) + " after " + word, pos);
            }
        }
    }

    private void skipWhitespace() {
        while (pos < end && whitespace(b[pos])) {
            pos++;
        }
    }

    private static boolean whitespace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String describe(byte c) {
        int v = c & 0xFF;
        return v >= 0x20 && v < 0x7F ? "'" + (char) v + "'" : String.format("0x%02X", v);
    }

    /** The text of a checked string token {@code b[start, end)} (quotes included). */
    static String decodeString(byte[] b, int start, int end) {
        int from = start + 1;
        int to = end - 1;
        boolean plain = true;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            int run = i;
            while (i < to && b[i] != '\\') {
                i++;
            }
            if (i > run) {
                out.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            }
            if (i >= to) {
                break;
            }
            byte e = b[i + 1];
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char)
                            ((hex(b[i + 2]) << 12) | (hex(b[i + 3]) << 8) | (hex(b[i + 4]) << 4) | hex(b[i + 5])));
                    i += 4;
                }
                default -> out.append((char) e); // " \ /
            }
            i += 2;
        }
        return out.toString();
    }
}
