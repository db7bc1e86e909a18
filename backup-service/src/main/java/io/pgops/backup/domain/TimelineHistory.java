package io.pgops.backup.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A timeline's history file ({@code 00000002.history}): for each ancestor timeline, the WAL position where the
 * next one branched off. PostgreSQL writes one at every promotion; pg_receivewal fetches it when the primary it
 * streams from switches timeline.
 *
 * @param timeline the timeline this file describes
 * @param ancestors its ancestors, oldest first, each with the position where it ended
 */
public record TimelineHistory(Timeline timeline, List<Switch> ancestors) {
    private static final Pattern FILE = Pattern.compile("[0-9A-F]{8}\\.history(\\.(gz|lz4))?");

    /**
     * An ancestor and where it ended (the first position that belongs to the next timeline).
     *
     * @param timeline the ancestor
     * @param end the switch point
     */
    public record Switch(Timeline timeline, Lsn end) {}

    public TimelineHistory {
        ancestors = List.copyOf(ancestors);
    }

    /**
     * The timeline a history file name stands for ({@code 00000002.history} → 2, also when compressed as
     * pg_receivewal may write it: {@code 00000002.history.lz4}); empty for other files.
     */
    public static Optional<Timeline> timelineOf(String fileName) {
        if (!FILE.matcher(fileName).matches()) {
            return Optional.empty();
        }
        long tli = Long.parseLong(fileName.substring(0, 8), 16);
        return tli == 0 ? Optional.empty() : Optional.of(Timeline.of(tli));
    }

    /** The file name of a timeline's history: {@code 00000002.history}. */
    public static String fileName(Timeline t) {
        return String.format("%08X.history", t.value());
    }

    /**
     * Parses the text PostgreSQL writes: one line per ancestor, {@code <tli> <switch LSN> <reason>} separated by
     * tabs; blank lines and {@code #} comments are skipped.
     *
     * @throws IllegalArgumentException a line that is not of that form, with its number
     */
    public static TimelineHistory parse(Timeline timeline, String text) {
        List<Switch> out = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\\R")) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+", 3);
            try {
                Switch s = new Switch(Timeline.of(Long.parseLong(f[0])), Lsn.parse(f[1]));
                if (s.timeline().compareTo(timeline) >= 0
                        || (!out.isEmpty()
                                && s.timeline().compareTo(out.getLast().timeline()) <= 0)) {
                    throw new IllegalArgumentException("timelines out of order");
                }
                out.add(s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("history of timeline " + timeline + ", line " + n + " '" + l
                        + "' is not '<tli> <lsn> <reason>': " + e.getMessage());
            }
        }
        return new TimelineHistory(timeline, out);
    }

    /** Whether {@code t} is this timeline or one of its ancestors. */
    public boolean descendsFrom(Timeline t) {
        return t.equals(timeline)
                || ancestors.stream().anyMatch(s -> s.timeline().equals(t));
    }
}
