package io.pgops.replication.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's memory of the operations it was asked for, by the operation id the coordinator gave
 * them: a repeated id (the coordinator asking again after its call timed out, or a duplicate delivery)
 * is answered with the operation's state or its outcome, and never runs a second time.
 */
@ApplicationScoped
public class Operations {
    private static final int KEPT = 1000;

    /** What is known of an operation: running, or ended with an HTTP status and a body. */
    public record Known(boolean running, int status, Object body) {
        static final Known RUNNING = new Known(true, 0, null);
    }

    private final Map<String, Known> byId = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Known> e) {
            return size() > KEPT && !e.getValue().running();
        }
    };

    /** Empty when {@code id} is new (it is now running); else what is known of it. */
    public synchronized Optional<Known> begin(String id) {
        Known k = byId.get(id);
        if (k != null) {
            return Optional.of(k);
        }
        byId.put(id, Known.RUNNING);
        return Optional.empty();
    }

    public synchronized void end(String id, int status, Object body) {
        byId.put(id, new Known(false, status, body));
    }
}
