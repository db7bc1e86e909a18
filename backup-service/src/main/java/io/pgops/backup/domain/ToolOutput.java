package io.pgops.backup.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a PostgreSQL tool printed, reduced to what an operator needs in an event or an exit message. */
public final class ToolOutput {
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    private ToolOutput() {}

    /** The last {@code n} non-blank lines, joined by newlines. */
    public static String lastLines(String output, int n) {
        List<String> lines = Arrays.stream(output == null ? new String[0] : output.split("\\R"))
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /**
     * The files pg_verifybackup names in its errors, in order, e.g. {@code base/5/1259} from {@code
     * pg_verifybackup: error: checksum mismatch for file "base/5/1259"} or {@code "global/x" is present on disk
     * but not in the manifest}.
     */
    public static List<String> badFiles(String verifyOutput) {
        Set<String> files = new LinkedHashSet<>();
        for (String line : verifyOutput.split("\\R")) {
            if (!line.contains("error:")) {
                continue;
            }
            Matcher m = QUOTED.matcher(line);
            if (m.find()) {
                files.add(m.group(1));
            }
        }
        return new ArrayList<>(files);
    }

    /** The lines of pg_verifybackup's output that report errors (not its progress or the final summary). */
    public static String errorLines(String verifyOutput, int n) {
        List<String> errors = Arrays.stream(verifyOutput.split("\\R"))
                .filter(l -> l.contains("error:"))
                .map(String::strip)
                .toList();
        return errors.isEmpty()
                ? lastLines(verifyOutput, n)
                : String.join("\n", errors.subList(0, Math.min(n, errors.size())));
    }
}
