package io.pgops.maintenance.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scheduled configuration check of one cluster publishes: each node's difference from the recommendations
 * once, when it is first seen or when its recommended or actual value (or its pending restart) changes; a
 * difference that went away is forgotten, so it is published again if it comes back. A node that could not be
 * read keeps what was seen. Pure and stateful: one per cluster, fed each check; its memory lasts the process (a
 * restarted service publishes what it finds once more).
 */
public final class DriftMemory {
    private final Map<String, Map<String, ConfigComparison.Drift>> seen = new HashMap<>();

    /** The node's differences found now that were not published as they are. */
    public List<ConfigComparison.Drift> news(String node, List<ConfigComparison.Drift> now) {
        Map<String, ConfigComparison.Drift> before = seen.getOrDefault(node, Map.of());
        List<ConfigComparison.Drift> out = new ArrayList<>();
        for (ConfigComparison.Drift d : now) {
            ConfigComparison.Drift b = before.get(d.name());
            if (b == null
                    || !b.recommended().equals(d.recommended())
                    || !b.actual().equals(d.actual())
                    || b.pendingRestart() != d.pendingRestart()) {
                out.add(d);
            }
        }
        return out;
    }

    /** The node's differences as they are now, once its news are published (not before: a failed publish repeats). */
    public void published(String node, List<ConfigComparison.Drift> now) {
        Map<String, ConfigComparison.Drift> after = new LinkedHashMap<>();
        now.forEach(d -> after.put(d.name(), d));
        seen.put(node, after);
    }

    /** How many differences are remembered for {@code node}. */
    public int remembered(String node) {
        return seen.getOrDefault(node, Map.of()).size();
    }
}
