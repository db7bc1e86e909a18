package io.pgops.maintenance.domain;

import io.pgops.events.replication.HostFactsReported;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The configuration advisor's host facts from what the agents reported, when the operator declared none. One set of
 * settings serves every node (a standby may become the primary), so it is sized for the smallest host: the least
 * RAM and the fewest CPUs any node reported. The storage is {@code ssd} only when every node reported a solid-state
 * disk; otherwise {@code hdd}, PostgreSQL's own assumption ({@code random_page_cost} 4). Connections and workload are
 * not on a host: the operator's, else the connections the caller read (the primary's {@code max_connections}, which is
 * what PGTune asks for) and a mixed workload, as the answer says.
 */
public final class ReportedFacts {
    private ReportedFacts() {}

    /** Empty when no node reported both its RAM and its CPUs, or a host is too small to advise for. */
    public static Optional<HostFacts> of(
            List<HostFactsReported> reports, int connections, HostFacts.Workload workload) {
        return of(reports, connections, null, workload);
    }

    /**
     * @param connectionsFrom where {@code connections} comes from, in words (e.g. {@code max_connections of node1});
     *     null: not said
     */
    public static Optional<HostFacts> of(
            List<HostFactsReported> reports, int connections, String connectionsFrom, HostFacts.Workload workload) {
        List<HostFactsReported> known = reports.stream()
                .filter(r -> r.ramBytes() != null && r.cpus() != null)
                .sorted(Comparator.comparing(r -> r.node().value()))
                .toList();
        if (known.isEmpty()) {
            return Optional.empty();
        }
        HostFactsReported leastRam = known.stream()
                .min(Comparator.comparing(HostFactsReported::ramBytes))
                .orElseThrow();
        HostFactsReported fewestCpus = known.stream()
                .min(Comparator.comparing(HostFactsReported::cpus))
                .orElseThrow();
        List<String> notSsd = known.stream()
                .filter(r -> !r.storage().equals("ssd"))
                .map(r -> r.node().value() + " " + r.storage())
                .toList();
        HostFacts.Storage storage = notSsd.isEmpty() ? HostFacts.Storage.SSD : HostFacts.Storage.HDD;
        String source = String.format(
                Locale.ROOT,
                "reported by the agents of %s: the least RAM %.1f GiB (%s), the fewest CPUs %d (%s); storage %s%s;"
                        + " %d connections%s and a %s workload (declare pgops.maintenance.clusters.<id>.host.* to"
                        + " change them)",
                String.join(", ", known.stream().map(r -> r.node().value()).toList()),
                leastRam.ramBytes() / 1073741824.0,
                leastRam.node().value(),
                fewestCpus.cpus(),
                fewestCpus.node().value(),
                storage.name().toLowerCase(Locale.ROOT),
                notSsd.isEmpty() ? " on every node" : " (" + String.join(", ", notSsd) + ")",
                connections,
                connectionsFrom == null ? "" : " (" + connectionsFrom + ")",
                workload.name().toLowerCase(Locale.ROOT));
        try {
            return Optional.of(
                    new HostFacts(leastRam.ramBytes(), fewestCpus.cpus(), storage, connections, workload, source));
        } catch (IllegalArgumentException tooSmall) {
            return Optional.empty();
        }
    }
}
