package io.pgops.health.domain;

/**
 * How many probes in a row it takes to change a verdict.
 *
 * @param failuresToBreach consecutive failed probes before a node is declared unreachable
 * @param passesToRecover consecutive passing probes before it is declared reachable again
 */
public record Debounce(int failuresToBreach, int passesToRecover) {
    public Debounce {
        if (failuresToBreach < 1 || passesToRecover < 1) {
            throw new IllegalArgumentException("debounce counts must be at least 1");
        }
    }
}
