package io.pgops.maintenance.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into its statements at the semicolons that end them, as PostgreSQL's lexer would:
 * a semicolon inside a string ({@code '…'}, {@code E'…'} with backslash escapes), a quoted identifier
 * ({@code "…"}), a dollar-quoted body ({@code $$…$$}, {@code $fn$…$fn$}), a line comment ({@code -- …}) or a
 * block comment ({@code /* … *}{@code /}, nested) ends nothing. A statement that holds only comments and
 * blanks is dropped. An unterminated string, identifier, dollar quote or comment is refused: PostgreSQL would
 * refuse it too, and guessing where it ends could run half a statement.
 */
public final class ScriptSplitter {
    private ScriptSplitter() {}

    /** A script that cannot be split (an unterminated quote or comment). */
    public static final class Unterminated extends RuntimeException {
        public Unterminated(String message) {
            super(message);
        }
    }

    /**
     * One statement: its text without the ending semicolon, stripped, comments kept (PostgreSQL ignores them),
     * and the 1-based line it starts on.
     */
    public record Statement(String text, int line) {}

    public static List<Statement> split(String script) {
        List<Statement> out = new ArrayList<>();
        int n = script.length();
        int start = 0;
        boolean meaningful = false; // the current statement has something other than blanks and comments
        int i = 0;
        while (i < n) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int eol = script.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                i = endOfBlockComment(script, i);
            } else if (c == '\'') {
                boolean escapes = i > 0
                        && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentChar(script.charAt(i - 2)));
                i = endOfQuoted(script, i, '\'', escapes, "string");
                meaningful = true;
            } else if (c == '"') {
                i = endOfQuoted(script, i, '"', false, "quoted identifier");
                meaningful = true;
            } else if (c == '$' && dollarTag(script, i) != null && (i == 0 || !isIdentChar(script.charAt(i - 1)))) {
                String tag = dollarTag(script, i);
                int close = script.indexOf(tag, i + tag.length());
                if (close < 0) {
                    throw new Unterminated(
                            "unterminated dollar-quoted string " + tag + " starting on line " + lineOf(script, i));
                }
                i = close + tag.length();
                meaningful = true;
            } else if (c == ';') {
                add(out, script, start, i, meaningful);
                start = i + 1;
                meaningful = false;
                i++;
            } else {
                if (!Character.isWhitespace(c)) {
                    meaningful = true;
                }
                i++;
            }
        }
        add(out, script, start, n, meaningful);
        return out;
    }

    private static void add(List<Statement> out, String script, int from, int to, boolean meaningful) {
        if (!meaningful) {
            return;
        }
        String raw = script.substring(from, to);
        int lead = 0;
        while (lead < raw.length() && Character.isWhitespace(raw.charAt(lead))) {
            lead++;
        }
        out.add(new Statement(raw.strip(), lineOf(script, from + lead)));
    }

    private static int endOfBlockComment(String s, int i) {
        int depth = 0;
        int j = i;
        while (j < s.length()) {
            if (s.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (s.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        throw new Unterminated("unterminated /* comment starting on line " + lineOf(s, i));
    }

    private static int endOfQuoted(String s, int i, char q, boolean backslashEscapes, String what) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
            } else if (c == q) {
                if (j + 1 < s.length() && s.charAt(j + 1) == q) {
                    j += 2; // a doubled quote stands for itself
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        throw new Unterminated("unterminated " + what + " starting on line " + lineOf(s, i));
    }

    /** {@code $tag$} or {@code $$} at {@code i}, or null ({@code $1} is a parameter, not a quote). */
    private static String dollarTag(String s, int i) {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != '$') {
            char c = s.charAt(j);
            boolean ok = Character.isLetter(c) || c == '_' || (j > i + 1 && Character.isDigit(c));
            if (!ok) {
                return null;
            }
            j++;
        }
        return j < s.length() ? s.substring(i, j + 1) : null;
    }

    private static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int lineOf(String s, int index) {
        int line = 1;
        for (int k = 0; k < index && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }
}
