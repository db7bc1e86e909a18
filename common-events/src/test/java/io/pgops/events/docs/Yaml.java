package io.pgops.events.docs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A minimal, deterministic YAML writer for JSON trees (block style, two-space indent). Strings that could be
 * read as something else are written JSON-quoted, which YAML accepts as double-quoted scalars.
 */
final class Yaml {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z/$][A-Za-z0-9_./$+-]*(?: [A-Za-z0-9_./+()-]+)*");
    private static final Set<String> RESERVED =
            Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null", "~");

    private Yaml() {}

    static String write(JsonNode root) {
        StringBuilder out = new StringBuilder();
        block(root, 0, out);
        return out.toString();
    }

    private static void block(JsonNode node, int indent, StringBuilder out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.append(" ".repeat(indent)).append(scalar(e.getKey()));
                value(e.getValue(), indent, out);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                out.append(" ".repeat(indent)).append("-");
                if (item.isContainerNode() && !item.isEmpty()) {
                    // first entry on the dash line, the rest aligned under it
                    StringBuilder nested = new StringBuilder();
                    block(item, indent + 2, nested);
                    out.append(' ').append(nested.substring(indent + 2));
                } else {
                    out.append(' ').append(inline(item)).append('\n');
                }
            }
        }
    }

    private static void value(JsonNode value, int indent, StringBuilder out) {
        if (value.isContainerNode() && !value.isEmpty()) {
            out.append(":\n");
            block(value, indent + 2, out);
        } else {
            out.append(": ").append(inline(value)).append('\n');
        }
    }

    private static String inline(JsonNode node) {
        if (node.isObject()) {
            return "{}";
        }
        if (node.isArray()) {
            return "[]";
        }
        if (node.isTextual()) {
            return scalar(node.textValue());
        }
        return node.toString();
    }

    private static String scalar(String text) {
        if (PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase(java.util.Locale.ROOT))) {
            return text;
        }
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }
}
