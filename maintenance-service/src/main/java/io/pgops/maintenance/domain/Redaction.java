package io.pgops.maintenance.domain;

import java.util.regex.Pattern;

/** Statements as reports show them: a password literal in them is masked. */
public final class Redaction {
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password\\s*=?\\s*)'(?:[^']|'')*'");

    private Redaction() {}

    public static String statement(String sql) {
        return sql == null ? null : PASSWORD.matcher(sql).replaceAll("$1'***'");
    }
}
