package io.pgops.backup.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which files of a cluster's local WAL archive go to the bucket next ({@code pg_receivewal} writes the archive; the
 * backup-service copies it off the host): every complete segment and every timeline history file not copied yet;
 * never a segment still being written ({@code .partial}) nor any other file. History files first (a restore reads
 * them to choose its timeline), then the segments by timeline and position, so the bucket's copy grows without a hole
 * that a later copy fills.
 */
public final class WalShipping {
    private WalShipping() {}

    /** The object name a local file is stored under: the same name, {@code .gcm} added when encrypted. */
    public static String objectName(String fileName, boolean encrypted) {
        return encrypted ? fileName + ENCRYPTED : fileName;
    }

    /** What an object name stands for in the local archive: the name without {@code .gcm}. */
    public static String fileName(String objectName) {
        return objectName.endsWith(ENCRYPTED)
                ? objectName.substring(0, objectName.length() - ENCRYPTED.length())
                : objectName;
    }

    /** The suffix of an encrypted WAL object. */
    public static final String ENCRYPTED = ".gcm";

    /** Whether a file of the archive is one to copy: a complete segment or a history file. */
    public static boolean shippable(String fileName, long segmentSize) {
        if (TimelineHistory.timelineOf(fileName).isPresent()) {
            return true;
        }
        Optional<WalSegment> s = WalSegment.parse(fileName, segmentSize);
        return s.isPresent() && !s.get().partial();
    }

    /**
     * The files of {@code local} to copy, in order.
     *
     * @param local the names in the local archive directory
     * @param shipped the local names already in the bucket ({@link #fileName} of its objects)
     */
    public static List<String> toShip(Collection<String> local, Set<String> shipped, long segmentSize) {
        List<String> histories = new ArrayList<>();
        List<WalSegment> segments = new ArrayList<>();
        for (String f : local) {
            if (shipped.contains(f) || !shippable(f, segmentSize)) {
                continue;
            }
            if (TimelineHistory.timelineOf(f).isPresent()) {
                histories.add(f);
            } else {
                segments.add(WalSegment.parse(f, segmentSize).orElseThrow());
            }
        }
        histories.sort(Comparator.naturalOrder());
        segments.sort(Comparator.comparing(WalSegment::timeline).thenComparingLong(WalSegment::number));
        List<String> out = new ArrayList<>(histories);
        segments.forEach(s -> out.add(s.fileName(segmentSize)));
        return out;
    }
}
