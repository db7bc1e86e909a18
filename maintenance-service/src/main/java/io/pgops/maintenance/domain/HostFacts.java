package io.pgops.maintenance.domain;

import java.util.Locale;

/**
 * What the configuration advisor needs to know of a node's host, as the operator declares it or the agents beside the
 * nodes report it ({@link ReportedFacts}): the advisor never guesses a database host's size from the host pgops runs
 * on.
 *
 * @param ramBytes the memory PostgreSQL may use, bytes
 * @param cpus the CPUs it may use
 * @param storage the data directory's storage
 * @param connections the connections expected at most ({@code max_connections} is not changed by the advisor)
 * @param workload the kind of work
 * @param source where the facts come from, in words: declared, given with the request, or reported by the agents
 */
public record HostFacts(long ramBytes, int cpus, Storage storage, int connections, Workload workload, String source) {
    /** Facts the operator declared. */
    public HostFacts(long ramBytes, int cpus, Storage storage, int connections, Workload workload) {
        this(ramBytes, cpus, storage, connections, workload, "declared");
    }

    public enum Storage {
        SSD,
        HDD,
        SAN;

        public static Storage parse(String s) {
            return Storage.valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** PGTune's kinds of work. */
    public enum Workload {
        /** Web applications: many short queries. */
        WEB,
        /** Online transaction processing. */
        OLTP,
        /** Data warehouse: few, large analytical queries. */
        DW,
        /** A mix of the above. */
        MIXED,
        /** A developer's machine. */
        DESKTOP;

        public static Workload parse(String s) {
            return Workload.valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    public HostFacts {
        if (ramBytes < 256L * 1024 * 1024) {
            throw new IllegalArgumentException("ram must be at least 256MB but was " + ramBytes + " bytes");
        }
        if (cpus < 1 || cpus > 1024) {
            throw new IllegalArgumentException("cpus must be 1..1024 but was " + cpus);
        }
        if (connections < 1 || connections > 100_000) {
            throw new IllegalArgumentException("connections must be 1..100000 but was " + connections);
        }
        if (storage == null || workload == null) {
            throw new IllegalArgumentException("storage and workload are required");
        }
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("say where the facts come from");
        }
    }
}
