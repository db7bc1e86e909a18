package io.pgops.maintenance.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What an emergency action is asked to hit: sessions in its state for longer than {@code longerThan}, narrowed by
 * database, user and application ({@code null}: any). Superusers are spared unless named in {@code superusers}.
 */
public record EmergencyCriteria(
        EmergencyAction action,
        Duration longerThan,
        String database,
        String user,
        String application,
        Set<String> superusers) {
    public EmergencyCriteria {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(longerThan, "longerThan");
        if (longerThan.isNegative() || longerThan.isZero()) {
            throw new IllegalArgumentException("the threshold must be longer than zero");
        }
        superusers = Set.copyOf(superusers == null ? Set.of() : superusers);
    }
}
