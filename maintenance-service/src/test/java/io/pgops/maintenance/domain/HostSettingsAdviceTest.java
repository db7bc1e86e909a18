package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.maintenance.domain.HostSettingsAdvice.Finding;
import io.pgops.maintenance.domain.HostSettingsAdvice.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostSettingsAdviceTest {
    static HostFactsReported facts(
            Integer swappiness, Integer overcommit, Integer ratio, String thp, String options, String storage) {
        return new HostFactsReported(
                ClusterId.of("main"),
                NodeName.of("node1"),
                16L << 30,
                8,
                swappiness,
                overcommit,
                ratio,
                thp,
                "/var/lib/postgresql/15/main",
                options == null ? null : "/var/lib/postgresql",
                options,
                storage,
                Instant.parse("2026-12-07T05:00:00Z"));
    }

    static Finding find(List<Finding> fs, String prefix) {
        return fs.stream()
                .filter(f -> f.setting().startsWith(prefix))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aDebianDefaultHostIsToldToLowerSwappinessUseStrictOvercommitAndMountWithNoatime() {
        List<Finding> fs = HostSettingsAdvice.assess(facts(60, 0, 50, "always", "rw,relatime", "ssd"));
        assertEquals(Status.CHANGE, find(fs, "vm.swappiness").status());
        assertEquals("1 (at most 10)", find(fs, "vm.swappiness").recommended());
        assertTrue(find(fs, "vm.swappiness").why().startsWith("60 lets the kernel swap"));
        assertEquals(Status.CHANGE, find(fs, "vm.overcommit_memory").status());
        assertEquals(Status.INFO, find(fs, "vm.overcommit_ratio").status(), "the ratio counts only with 2");
        assertEquals(Status.CHANGE, find(fs, "transparent_hugepage").status());
        Finding mount = find(fs, "data directory mount");
        assertEquals("data directory mount (/var/lib/postgresql)", mount.setting());
        assertEquals(Status.CHANGE, mount.status());
        assertEquals("noatime", mount.recommended());
    }

    @Test
    void onlyTheSettingsToChangeBecomeDifferencesWithTheHostAsSourceAndNoRestart() {
        List<ConfigComparison.Drift> ds = HostSettingsAdvice.drifts(facts(60, 2, 90, null, "rw,noatime", "unknown"));
        assertEquals(
                List.of("vm.swappiness"),
                ds.stream().map(ConfigComparison.Drift::name).toList(),
                "overcommit and the mount are as recommended; an unread THP setting and unknown storage are no"
                        + " difference");
        ConfigComparison.Drift d = ds.getFirst();
        assertEquals("60", d.actual());
        assertEquals("1 (at most 10)", d.recommended());
        assertEquals("host", d.source());
        assertTrue(!d.restartNeeded() && !d.pendingRestart());
        assertTrue(d.reason().startsWith("60 lets the kernel swap"));
        assertEquals(List.of(), HostSettingsAdvice.drifts(facts(1, 2, 90, "never", "rw,noatime", "ssd")));
    }

    @Test
    void aTunedHostIsOkEverywhere() {
        List<Finding> fs = HostSettingsAdvice.assess(facts(1, 2, 90, "never", "rw,noatime", "ssd"));
        for (String s : List.of(
                "vm.swappiness", "vm.overcommit_memory", "vm.overcommit_ratio", "transparent_hugepage", "data")) {
            assertEquals(Status.OK, find(fs, s).status(), s);
        }
        assertEquals(Status.INFO, find(fs, "storage").status());
        assertEquals("17179869184 bytes (16.0 GiB)", find(fs, "ram").value());
        assertEquals("8", find(fs, "cpus").value());
    }

    @Test
    void madviseIsAcceptedForTransparentHugePagesAndSwappinessTenIsTheLimit() {
        List<Finding> fs = HostSettingsAdvice.assess(facts(10, 2, 50, "madvise", "rw,noatime", "hdd"));
        assertEquals(Status.OK, find(fs, "transparent_hugepage").status());
        assertEquals(Status.OK, find(fs, "vm.swappiness").status());
        assertEquals(Status.CHANGE, find(fs, "vm.overcommit_ratio").status(), "50 with strict overcommit is too low");
        assertEquals(Status.CHANGE, HostSettingsAdvice.swappiness(11).status());
    }

    @Test
    void whatTheAgentCouldNotReadIsUnknownNeverOk() {
        List<Finding> fs = HostSettingsAdvice.assess(facts(null, null, null, null, null, "unknown"));
        for (Finding f : fs) {
            if (!f.setting().equals("ram") && !f.setting().equals("cpus")) {
                assertEquals(Status.UNKNOWN, f.status(), f.setting());
            }
        }
        assertEquals("data directory mount", find(fs, "data directory mount").setting());
    }
}
