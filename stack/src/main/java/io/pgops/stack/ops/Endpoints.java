package io.pgops.stack.ops;

import io.pgops.stack.StackLayout;
import io.pgops.stack.StackState;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where each service answers: {@code PGOPS_<SERVICE>_URL} (e.g. {@code PGOPS_REPLICATION_URL=https://…}),
 * else the local stack's port from its state file ({@code bin/pgops up}).
 */
final class Endpoints {
    private final Map<String, String> env;
    private final Optional<StackState> stack;

    Endpoints(Map<String, String> env, StackLayout layout) {
        this.env = env;
        this.stack = StackState.read(layout.stateFile());
    }

    /** {@code service}: audit, health, replication, backup or maintenance. */
    String url(String service) {
        String key = "PGOPS_" + service.toUpperCase(Locale.ROOT) + "_URL";
        String configured = env.get(key);
        if (configured != null && !configured.isBlank()) {
            return configured.replaceAll("/+$", "");
        }
        return stack.flatMap(s -> s.find(service + "-service"))
                .map(c -> "http://127.0.0.1:" + c.port())
                .orElseThrow(() -> new Api.Failure(
                        -1,
                        "no " + service + "-service known: set " + key + " or start the local stack (bin/pgops up)"));
    }
}
