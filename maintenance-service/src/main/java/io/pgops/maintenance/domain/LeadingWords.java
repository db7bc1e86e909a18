package io.pgops.maintenance.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first tokens of one statement, comments skipped: enough to tell what kind of statement it is and, for
 * {@code CREATE INDEX CONCURRENTLY}, the index's name. An unquoted word is folded to lower case as PostgreSQL
 * folds it; a quoted identifier keeps its case ({@code quoted} true); anything else (a string, a parenthesis)
 * ends the list.
 */
record LeadingWords(List<Word> words) {

    /** A keyword or identifier; {@code quoted}: it was written in double quotes. */
    record Word(String value, boolean quoted) {
        boolean is(String keyword) {
            return !quoted && value.equals(keyword);
        }
    }

    static LeadingWords of(String statement, int max) {
        List<Word> out = new ArrayList<>();
        int i = 0;
        int n = statement.length();
        while (i < n && out.size() < max) {
            char c = statement.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (statement.startsWith("--", i)) {
                int eol = statement.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
            } else if (statement.startsWith("/*", i)) {
                int depth = 0;
                do {
                    if (statement.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (statement.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < n);
            } else if (c == '"') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                while (j < n) {
                    if (statement.charAt(j) == '"') {
                        if (j + 1 < n && statement.charAt(j + 1) == '"') {
                            b.append('"');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    b.append(statement.charAt(j++));
                }
                out.add(new Word(b.toString(), true));
                i = j + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n
                        && (Character.isLetterOrDigit(statement.charAt(j))
                                || statement.charAt(j) == '_'
                                || statement.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Word(statement.substring(i, j).toLowerCase(Locale.ROOT), false));
                i = j;
            } else if (c == '.') {
                out.add(new Word(".", false));
                i++;
            } else {
                break;
            }
        }
        return new LeadingWords(List.copyOf(out));
    }

    boolean startsWith(String... keywords) {
        if (words.size() < keywords.length) {
            return false;
        }
        for (int k = 0; k < keywords.length; k++) {
            if (!words.get(k).is(keywords[k])) {
                return false;
            }
        }
        return true;
    }

    boolean has(String keyword) {
        return words.stream().anyMatch(w -> w.is(keyword));
    }

    Word get(int k) {
        return k < words.size() ? words.get(k) : null;
    }
}
