package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.maintenance.domain.ConfigAdvisor.Recommendation;
import io.pgops.maintenance.domain.ConfigComparison.Drift;
import io.pgops.maintenance.domain.ConfigComparison.Setting;
import io.pgops.maintenance.domain.HostFacts.Storage;
import io.pgops.maintenance.domain.HostFacts.Workload;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigAdvisorTest {
    static final long GB = 1024L * 1024 * 1024;

    static Map<String, String> advice(HostFacts f) {
        return ConfigAdvisor.recommend(f).stream()
                .collect(Collectors.toMap(Recommendation::name, Recommendation::display));
    }

    /** The PGTune formulas for a web server of 16 GB, 8 CPUs, SSD, 200 connections. */
    @Test
    void aWebServerOf16GbAnd8CpusGetsAQuarterOfRamAsSharedBuffersAndParallelismForItsCpus() {
        Map<String, String> a = advice(new HostFacts(16 * GB, 8, Storage.SSD, 200, Workload.WEB));
        assertEquals("4GB", a.get("shared_buffers"));
        assertEquals("12GB", a.get("effective_cache_size"));
        assertEquals("1GB", a.get("maintenance_work_mem"));
        assertEquals("16MB", a.get("wal_buffers"));
        assertEquals("1.1", a.get("random_page_cost"));
        assertEquals("200", a.get("effective_io_concurrency"));
        assertEquals("4", a.get("max_parallel_workers_per_gather"));
        assertEquals("8", a.get("max_worker_processes"));
        assertEquals("1GB", a.get("min_wal_size"));
        assertEquals("4GB", a.get("max_wal_size"));
        assertEquals("5041kB", a.get("work_mem")); // (16GB - 4GB) / ((200 + 8) * 3) / 4
    }

    @Test
    void aSmallHostGetsNoParallelismSettingsAndSpinningDisksGetTheirCosts() {
        Map<String, String> a = advice(new HostFacts(2 * GB, 2, Storage.HDD, 50, Workload.OLTP));
        assertFalse(a.containsKey("max_worker_processes"), "below 4 CPUs PostgreSQL's defaults stay");
        assertEquals("4", a.get("random_page_cost"));
        assertEquals("2", a.get("effective_io_concurrency"));
        assertEquals("512MB", a.get("shared_buffers"));
        assertEquals("2GB", a.get("min_wal_size"));
    }

    @Test
    void maintenanceWorkMemStaysAt2GbOnLargeHosts() {
        assertEquals(
                "2GB",
                advice(new HostFacts(256 * GB, 32, Storage.SAN, 500, Workload.DW))
                        .get("maintenance_work_mem"));
    }

    @Test
    void factsOutsideTheirRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HostFacts(100, 2, Storage.SSD, 10, Workload.WEB));
        assertThrows(IllegalArgumentException.class, () -> new HostFacts(4 * GB, 0, Storage.SSD, 10, Workload.WEB));
        assertThrows(IllegalArgumentException.class, () -> new HostFacts(4 * GB, 2, Storage.SSD, 0, Workload.WEB));
    }

    @Test
    void settingsAreComparedInTheirOwnUnitsAndOnlyDifferencesAreReported() {
        List<Recommendation> r = ConfigAdvisor.recommend(new HostFacts(2 * GB, 2, Storage.SSD, 50, Workload.WEB));
        Map<String, Setting> s = List.of(
                        new Setting("shared_buffers", "65536", "8kB", "postmaster", "configuration file", false),
                        new Setting("effective_cache_size", "196608", "8kB", "user", "configuration file", false),
                        new Setting("random_page_cost", "4", null, "user", "default", false),
                        new Setting("checkpoint_completion_target", "0.9", null, "sighup", "default", false))
                .stream()
                .collect(Collectors.toMap(Setting::name, Function.identity()));
        Map<String, Drift> d =
                ConfigComparison.compare(r, s).stream().collect(Collectors.toMap(Drift::name, Function.identity()));
        assertFalse(d.containsKey("shared_buffers"), "65536 × 8kB is the recommended 512MB");
        assertFalse(d.containsKey("effective_cache_size"), "196608 × 8kB is 1.5GB");
        assertFalse(d.containsKey("checkpoint_completion_target"));
        assertEquals("4", d.get("random_page_cost").actual());
        assertEquals("1.1", d.get("random_page_cost").recommended());
        assertTrue(d.get("work_mem").reason().contains("does not know"), "absent from pg_settings: said so");
    }

    @Test
    void aRestartIsNeededOnlyForPostmasterSettings() {
        List<Recommendation> r = ConfigAdvisor.recommend(new HostFacts(8 * GB, 4, Storage.SSD, 100, Workload.MIXED));
        Map<String, Setting> s = Map.of(
                "shared_buffers", new Setting("shared_buffers", "16384", "8kB", "postmaster", "default", false),
                "work_mem", new Setting("work_mem", "4096", "kB", "user", "default", false));
        Map<String, Drift> d =
                ConfigComparison.compare(r, s).stream().collect(Collectors.toMap(Drift::name, Function.identity()));
        assertTrue(d.get("shared_buffers").restartNeeded());
        assertEquals("128MB", d.get("shared_buffers").actual());
        assertFalse(d.get("work_mem").restartNeeded());
    }
}
