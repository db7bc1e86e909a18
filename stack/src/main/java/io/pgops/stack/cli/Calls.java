package io.pgops.stack.cli;

import io.pgops.stack.StackLayout;
import io.pgops.stack.StackState;
import io.pgops.stack.auth.Tokens;

/** How to call the local stack as each role: one curl line per role, printed by {@code up} and {@code status}. */
final class Calls {
    private Calls() {}

    static String howTo(StackLayout layout, StackState state) {
        int replication = port(layout, state, "replication-service");
        int backup = port(layout, state, "backup-service");
        String cluster = StackLayout.CLUSTER_ID;
        String json = " -H 'Content-Type: application/json'";
        return String.join(
                "\n",
                "Every endpoint but /q/health needs a bearer token (bin/pgops token --role <role> [--ttl 1h]):",
                "  viewer:   curl -s " + auth(Tokens.VIEWER) + " localhost:" + replication + "/clusters/" + cluster,
                "  operator: curl -s -X POST " + auth(Tokens.OPERATOR) + json
                        + " -d '{\"reason\":\"before the upgrade\"}' localhost:" + backup + "/clusters/" + cluster
                        + "/backups",
                "  admin:    curl -s -X POST " + auth(Tokens.ADMIN) + json
                        + " -d '{\"reason\":\"rebuild after disk loss\"}' localhost:" + replication + "/clusters/"
                        + cluster + "/nodes/node3/reinit",
                "");
    }

    private static String auth(String role) {
        return "-H \"Authorization: Bearer $(bin/pgops token --role " + role + ")\"";
    }

    private static int port(StackLayout layout, StackState state, String service) {
        return state.find(service).map(StackState.Component::port).orElseGet(() -> layout.preferredPort(service));
    }
}
