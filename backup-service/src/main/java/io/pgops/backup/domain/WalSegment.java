package io.pgops.backup.domain;

import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One WAL segment file of the archive, as pg_receivewal names it: {@code 000000010000000000000003} (timeline, then
 * the segment number in two 8-digit hex halves), optionally compressed ({@code .gz}, {@code .lz4}, {@code .zst})
 * and optionally {@code .partial} (the segment being streamed, or the last one of a timeline that ended in it).
 *
 * @param timeline the timeline the segment belongs to
 * @param number the segment number (the WAL position divided by the segment size)
 * @param compression {@code ""} for none, else the suffix without its dot ({@code lz4})
 * @param partial whether the file is a {@code .partial} one
 */
public record WalSegment(Timeline timeline, long number, String compression, boolean partial) {
    /** PostgreSQL's default WAL segment size, bytes. */
    public static final long DEFAULT_SIZE = 16L * 1024 * 1024;

    private static final Pattern FILE =
            Pattern.compile("([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})(\\.(gz|lz4|zst))?(\\.partial)?");

    public WalSegment {
        if (number < 0) {
            throw new IllegalArgumentException("segment number " + number + " is negative");
        }
        compression = compression == null ? "" : compression;
    }

    /** A complete, uncompressed segment. */
    public static WalSegment of(Timeline timeline, long number) {
        return new WalSegment(timeline, number, "", false);
    }

    /**
     * The segment a file name stands for; empty for any other file (history files, pg_receivewal's temporary
     * files, anything an operator left there).
     *
     * @param segmentSize the cluster's WAL segment size, bytes (a power of two, 1 MB–1 GB)
     */
    public static Optional<WalSegment> parse(String fileName, long segmentSize) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        long tli = Long.parseLong(m.group(1), 16);
        long high = Long.parseLong(m.group(2), 16);
        long low = Long.parseLong(m.group(3), 16);
        long perId = perXLogId(segmentSize);
        if (tli == 0 || low >= perId) {
            return Optional.empty(); // not a name PostgreSQL would write for this segment size
        }
        return Optional.of(new WalSegment(
                Timeline.of(tli), high * perId + low, m.group(5) == null ? "" : m.group(5), m.group(6) != null));
    }

    /** The segment holding {@code lsn} on {@code timeline}. */
    public static WalSegment containing(Timeline timeline, Lsn lsn, long segmentSize) {
        checkSize(segmentSize);
        return of(timeline, Long.divideUnsigned(lsn.value(), segmentSize));
    }

    /** The 24-digit name, without suffixes: {@code 000000010000000000000003}. */
    public String name(long segmentSize) {
        long perId = perXLogId(segmentSize);
        return String.format(Locale.ROOT, "%08X%08X%08X", timeline.value(), number / perId, number % perId);
    }

    /** The file name as it lies in the archive, with its suffixes. */
    public String fileName(long segmentSize) {
        return name(segmentSize) + (compression.isEmpty() ? "" : "." + compression) + (partial ? ".partial" : "");
    }

    /** Where the segment begins in the WAL. */
    public Lsn startLsn(long segmentSize) {
        return Lsn.of(number * segmentSize);
    }

    /** How many segments one 4 GB "xlogid" holds: the wrap point of the name's last 8 digits. */
    static long perXLogId(long segmentSize) {
        checkSize(segmentSize);
        return 0x1_0000_0000L / segmentSize;
    }

    static void checkSize(long segmentSize) {
        if (segmentSize < 1024 * 1024 || segmentSize > 1024L * 1024 * 1024 || Long.bitCount(segmentSize) != 1) {
            throw new IllegalArgumentException(
                    "WAL segment size " + segmentSize + " is not a power of two between 1 MB and 1 GB");
        }
    }
}
