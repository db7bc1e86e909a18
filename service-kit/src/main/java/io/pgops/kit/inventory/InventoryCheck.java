package io.pgops.kit.inventory;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses to start on an inventory a service could misuse: every cluster id and node name must be a
 * valid {@link ClusterId} / {@link NodeName} (they end up in SQL, file names and event keys), every
 * port in range, every password file readable, every {@code sslmode} libpq's with the CA its verification needs
 * ({@link PgTls}). One message lists every problem.
 */
@Startup
@ApplicationScoped
public class InventoryCheck {

    public InventoryCheck(Inventory inventory) {
        List<String> problems = problems(inventory.clusters());
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "the cluster inventory (pgops.clusters.*) is invalid: " + String.join("; ", problems));
        }
    }

    /** Every problem of the inventory, in words; empty when it is valid. */
    public static List<String> problems(Map<String, Inventory.Cluster> clusters) {
        List<String> problems = new ArrayList<>();
        clusters.forEach((id, cluster) -> {
            check(problems, () -> ClusterId.of(id));
            if (cluster.nodes().isEmpty()) {
                problems.add("cluster " + id + " has no nodes");
            }
            cluster.nodes().forEach((name, node) -> {
                check(problems, () -> NodeName.of(name));
                if (node.port() < 1 || node.port() > 65535) {
                    problems.add("node " + id + "/" + name + " has port " + node.port() + ", not 1-65535");
                }
            });
            check(problems, () -> PgTls.check(id, cluster));
            Path pw = Path.of(cluster.credentials().passwordFile());
            if (!Files.isReadable(pw)) {
                problems.add("cluster " + id + ": password file " + pw + " is not readable");
            }
        });
        return problems;
    }

    private static void check(List<String> problems, Runnable validation) {
        try {
            validation.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }
}
