package io.pgops.backup.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A point-in-time restore, decided before anything is written: which backup to start from (the newest that
 * became consistent before the target, or the one asked for) and the recovery settings that replay the WAL
 * archive up to the target and then promote.
 *
 * @param backup the backup to unpack
 * @param reason why that backup, in words
 * @param target where replay stops
 * @param settings the settings for {@code postgresql.auto.conf}, in order (values unquoted)
 */
public record RestorePlan(CatalogueEntry backup, String reason, RecoveryTarget target, Map<String, String> settings) {
    /** Characters an archive directory may have: it is written into a shell command. */
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9/._+-]*");

    /** No backup fits the request (nothing is written then). */
    public static final class NoBackup extends IllegalArgumentException {
        public NoBackup(String message) {
            super(message);
        }
    }

    public RestorePlan {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Decides the restore.
     *
     * @param catalogue the cluster's backups, any order
     * @param asked the backup the operator named, if any
     * @param walArchive the archive directory the restore command reads segments from (absolute)
     * @param segmentSize the cluster's WAL segment size, bytes (a partial last segment is padded to it)
     * @throws NoBackup no backup, the named one is unknown or failed verification, or none ends before the target
     */
    public static RestorePlan decide(
            List<CatalogueEntry> catalogue,
            Optional<String> asked,
            RecoveryTarget target,
            boolean inclusive,
            String walArchive,
            long segmentSize) {
        if (!SAFE_PATH.matcher(walArchive).matches()) {
            throw new IllegalArgumentException("the WAL archive's path " + walArchive
                    + " must be absolute and of letters, digits and / . _ + - only (it goes into restore_command)");
        }
        List<CatalogueEntry> usable = catalogue.stream()
                .filter(e -> !e.verification().failed())
                .sorted(Comparator.comparing(CatalogueEntry::id).reversed())
                .toList();
        CatalogueEntry chosen;
        String reason;
        if (asked.isPresent()) {
            chosen = catalogue.stream()
                    .filter(e -> e.id().value().equals(asked.get()))
                    .findFirst()
                    .orElseThrow(() -> new NoBackup("no backup " + asked.get() + " in the catalogue"));
            if (chosen.verification().failed()) {
                throw new NoBackup("backup " + chosen.id() + " failed its verification: "
                        + chosen.verification().detail());
            }
            Optional<String> late = tooLate(chosen, target);
            if (late.isPresent()) {
                throw new NoBackup("backup " + chosen.id() + " " + late.get());
            }
            reason = "backup " + chosen.id() + " as requested";
        } else {
            if (usable.isEmpty()) {
                throw new NoBackup("no usable backup in the catalogue"
                        + (catalogue.isEmpty() ? "" : " (" + catalogue.size() + " failed verification)"));
            }
            Optional<CatalogueEntry> fit =
                    usable.stream().filter(e -> tooLate(e, target).isEmpty()).findFirst();
            if (fit.isEmpty()) {
                CatalogueEntry oldest = usable.getLast();
                throw new NoBackup("no backup becomes consistent before " + target.describe() + ": the oldest, "
                        + oldest.id() + ", " + tooLate(oldest, target).orElse(""));
            }
            chosen = fit.get();
            reason = switch (target) {
                case RecoveryTarget.AtTime t -> "the newest backup completed before " + t.time();
                case RecoveryTarget.AtLsn l -> "the newest backup consistent before LSN " + l.lsn();
                case RecoveryTarget.Latest l -> "the newest backup";
                default ->
                    "the newest backup (PostgreSQL finds a " + target.describe()
                            + " only while replaying: name an older backup with --id if it lies before this one)";
            };
        }
        Map<String, String> s = new LinkedHashMap<>();
        s.put("restore_command", restoreCommand(walArchive, segmentSize));
        s.put("recovery_target_timeline", "latest");
        s.putAll(target.settings(inclusive));
        s.put("recovery_target_action", "promote");
        return new RestorePlan(chosen, reason, target, s);
    }

    /** Why a backup cannot reach the target (it became consistent only after it), if so. */
    private static Optional<String> tooLate(CatalogueEntry e, RecoveryTarget target) {
        return switch (target) {
            case RecoveryTarget.AtTime t
            when e.completedAt().isAfter(t.time()) ->
                Optional.of("completed at " + e.completedAt() + ", after the target time " + t.time());
            case RecoveryTarget.AtLsn l
            when e.stopLsn().compareTo(l.lsn()) > 0 ->
                Optional.of("is consistent only at " + e.stopLsn() + ", after the target LSN " + l.lsn());
            default -> Optional.empty();
        };
    }

    /**
     * The shell command PostgreSQL runs for each file it wants ({@code %f}) into {@code %p}: the plain file, else
     * the lz4 or gzip one decompressed, else the {@code .partial} segment pg_receivewal is still writing (what of it
     * decompresses, padded with zeros to a whole segment: PostgreSQL checks every record's CRC and reads the zeros
     * or a torn last block as the end of the WAL), else exit 1, which tells PostgreSQL the archive has no such file.
     */
    static String restoreCommand(String dir, long segmentSize) {
        WalSegment.checkSize(segmentSize);
        String pad = "truncate -s " + segmentSize + " %p";
        List<String> steps = new ArrayList<>();
        steps.add("d=" + dir + "/%f");
        steps.add("if [ -f $d ]; then cp $d %p");
        steps.add("elif [ -f $d.lz4 ]; then lz4 -d -q -c $d.lz4 > %p");
        steps.add("elif [ -f $d.gz ]; then gzip -d -c $d.gz > %p");
        steps.add("elif [ -f $d.partial ]; then cp $d.partial %p && " + pad);
        steps.add("elif [ -f $d.lz4.partial ]; then lz4 -d -q -c $d.lz4.partial > %p; " + pad);
        steps.add("elif [ -f $d.gz.partial ]; then gzip -d -c $d.gz.partial > %p; " + pad);
        steps.add("else exit 1; fi");
        return String.join("; ", steps);
    }

    /** The lines appended to {@code postgresql.auto.conf} (single quotes doubled). */
    public List<String> confLines() {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + " = '" + e.getValue().replace("'", "''") + "'")
                .toList();
    }
}
