package io.pgops.maintenance.domain;

import io.pgops.maintenance.domain.ConfigAdvisor.Kind;
import io.pgops.maintenance.domain.ConfigAdvisor.Recommendation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recommended settings against a node's {@code pg_settings}: which differ, in the parameter's own unit, and
 * whether applying them needs a restart ({@code context = postmaster}).
 */
public final class ConfigComparison {
    /**
     * A row of {@code pg_settings}.
     *
     * @param setting {@code setting}, in {@code unit}
     * @param unit {@code unit}, e.g. {@code 8kB}, {@code kB}, {@code MB}; null for unitless parameters
     * @param context {@code context}: {@code postmaster} needs a restart
     * @param source {@code source}, e.g. {@code default}, {@code configuration file}
     * @param pendingRestart {@code pending_restart}
     */
    public record Setting(
            String name, String setting, String unit, String context, String source, boolean pendingRestart) {}

    /**
     * A difference.
     *
     * @param actual the effective value as people read it ({@code 128MB}); null when the server lacks the parameter
     * @param restartNeeded whether the new value takes effect only after a restart
     */
    public record Drift(
            String name,
            String recommended,
            String actual,
            String source,
            boolean restartNeeded,
            boolean pendingRestart,
            String reason) {}

    private static final Pattern UNIT = Pattern.compile("^([0-9]*)([kMGT]?B)$");

    private ConfigComparison() {}

    /** The recommendations whose value differs from the node's, in the recommendations' order. */
    public static List<Drift> compare(List<Recommendation> recommended, Map<String, Setting> settings) {
        List<Drift> out = new ArrayList<>();
        for (Recommendation r : recommended) {
            Setting s = settings.get(r.name());
            if (s == null) {
                out.add(new Drift(
                        r.name(),
                        r.display(),
                        null,
                        null,
                        false,
                        false,
                        r.reason() + " (this server does not know the parameter)"));
                continue;
            }
            if (!same(r, s)) {
                out.add(new Drift(
                        r.name(),
                        r.display(),
                        display(r.kind(), s),
                        s.source(),
                        "postmaster".equals(s.context()),
                        s.pendingRestart(),
                        r.reason()));
            }
        }
        return out;
    }

    static boolean same(Recommendation r, Setting s) {
        return switch (r.kind()) {
            case BYTES -> {
                Long bytes = bytes(s);
                yield bytes != null && bytes == Long.parseLong(r.value());
            }
            case NUMBER -> {
                try {
                    yield Double.parseDouble(s.setting()) == Double.parseDouble(r.value());
                } catch (NumberFormatException e) {
                    yield false;
                }
            }
            case TEXT -> r.value().equals(s.setting());
        };
    }

    /** A size setting in bytes ({@code setting} × {@code unit}); null when it is no size (e.g. {@code -1}). */
    static Long bytes(Setting s) {
        long n;
        try {
            n = Long.parseLong(s.setting());
        } catch (NumberFormatException e) {
            return null;
        }
        if (n < 0 || s.unit() == null) {
            return null;
        }
        Matcher m = UNIT.matcher(s.unit());
        if (!m.matches()) {
            return null;
        }
        long factor = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
        long scale = switch (m.group(2)) {
            case "kB" -> ConfigAdvisor.KB;
            case "MB" -> ConfigAdvisor.MB;
            case "GB" -> ConfigAdvisor.GB;
            case "TB" -> 1024 * ConfigAdvisor.GB;
            default -> 1;
        };
        return n * factor * scale;
    }

    private static String display(Kind kind, Setting s) {
        if (kind == Kind.BYTES) {
            Long b = bytes(s);
            return b == null ? s.setting() : ConfigAdvisor.size(b);
        }
        return s.setting();
    }
}
