package io.pgops.backup.domain;

import io.pgops.events.model.Lsn;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a point-in-time restore stops replaying: a time, a WAL position, a transaction id, a named restore point
 * ({@code pg_create_restore_point}), or the end of the archive. Built only from checked input, so what reaches
 * {@code postgresql.auto.conf} is always a value PostgreSQL accepts.
 */
public sealed interface RecoveryTarget {

    /** The {@code recovery_target_*} settings, in the order they are written (values unquoted). */
    Map<String, String> settings(boolean inclusive);

    /** In words, for progress lines and errors. */
    String describe();

    /** Replay everything the archive holds. */
    record Latest() implements RecoveryTarget {
        @Override
        public Map<String, String> settings(boolean inclusive) {
            return Map.of();
        }

        @Override
        public String describe() {
            return "the end of the WAL archive";
        }
    }

    /** Stop at the first commit after (or, inclusive, at) this time. */
    record AtTime(Instant time) implements RecoveryTarget {
        private static final DateTimeFormatter PG = DateTimeFormatter.ofPattern(
                        "yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT)
                .withZone(ZoneOffset.UTC);

        @Override
        public Map<String, String> settings(boolean inclusive) {
            return ordered("recovery_target_time", PG.format(time) + "+00", inclusive);
        }

        @Override
        public String describe() {
            return "time " + time;
        }
    }

    /** Stop at this WAL position. */
    record AtLsn(Lsn lsn) implements RecoveryTarget {
        @Override
        public Map<String, String> settings(boolean inclusive) {
            return ordered("recovery_target_lsn", lsn.format(), inclusive);
        }

        @Override
        public String describe() {
            return "LSN " + lsn;
        }
    }

    /** Stop at the commit of this transaction. */
    record AtXid(long xid) implements RecoveryTarget {
        public AtXid {
            if (xid < 3) {
                throw new IllegalArgumentException(
                        "transaction id " + xid + " is not a normal transaction id (3 or more)");
            }
        }

        @Override
        public Map<String, String> settings(boolean inclusive) {
            return ordered("recovery_target_xid", Long.toString(xid), inclusive);
        }

        @Override
        public String describe() {
            return "transaction " + xid;
        }
    }

    /** Stop at the restore point of this name. */
    record AtName(String name) implements RecoveryTarget {
        public AtName {
            if (name == null || name.isEmpty() || name.length() > 63) {
                throw new IllegalArgumentException("a restore point's name has 1 to 63 characters");
            }
            if (!name.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
                throw new IllegalArgumentException(
                        "restore point name '" + name + "' has characters other than printable ASCII");
            }
        }

        @Override
        public Map<String, String> settings(boolean inclusive) {
            return Map.of("recovery_target_name", name); // a restore point is a position: inclusive means nothing
        }

        @Override
        public String describe() {
            return "restore point '" + name + "'";
        }
    }

    private static Map<String, String> ordered(String key, String value, boolean inclusive) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(key, value);
        m.put("recovery_target_inclusive", inclusive ? "on" : "off");
        return m;
    }

    /**
     * The target an operator asked for: at most one of the four, none meaning the end of the archive.
     *
     * @throws IllegalArgumentException more than one target, or a value that is not of its kind, saying the form
     *     expected
     */
    static RecoveryTarget of(String time, String lsn, String xid, String name) {
        int given = (time != null ? 1 : 0) + (lsn != null ? 1 : 0) + (xid != null ? 1 : 0) + (name != null ? 1 : 0);
        if (given > 1) {
            throw new IllegalArgumentException(
                    "give one recovery target: --target-time, --target-lsn, --target-xid or --target-name");
        }
        if (time != null) {
            return new AtTime(parseTime(time));
        }
        if (lsn != null) {
            return new AtLsn(Lsn.parse(lsn.strip()));
        }
        if (xid != null) {
            if (!xid.strip().matches("[0-9]{1,19}")) {
                throw new IllegalArgumentException("transaction id '" + xid + "' is not a number");
            }
            return new AtXid(Long.parseLong(xid.strip()));
        }
        if (name != null) {
            return new AtName(name);
        }
        return new Latest();
    }

    /**
     * A time with its zone: {@code 2026-12-06T17:04:05Z}, {@code 2026-12-06T18:04:05.25+01:00} or PostgreSQL's
     * own {@code 2026-12-06 17:04:05+00}. A time without a zone is refused: the restore would depend on the
     * server's TimeZone.
     */
    static Instant parseTime(String text) {
        String t = text.strip().replace(' ', 'T');
        if (t.matches(".*[+-][0-9]{2}$")) {
            t = t + ":00";
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("target time '" + text
                    + "' is not a time with its zone, e.g. 2026-12-06T17:04:05Z or '2026-12-06 17:04:05+00'");
        }
    }
}
