package io.pgops.backup.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a {@code MigrationRequested} still needs its pre-migration dump: one already catalogued for the same
 * request (a replay after a restart, or a second delivery) is answered from the catalogue, not dumped again; one
 * older than {@code maxAge} is skipped, since the maintenance-service gave up waiting for it long ago (its
 * default deadline is 10 minutes) and a dump now would precede no migration; a database name holding {@code =}
 * is refused (no database the maintenance-service checked against the catalogue looks like a connection keyword,
 * and such a name is the one way text could reach libpq as more than a value).
 */
public final class PreMigrationRule {
    private PreMigrationRule() {}

    public enum Action {
        DUMP,
        ANSWER_FROM_CATALOGUE,
        SKIP,
        REFUSE
    }

    public record Decision(Action action, String reason) {}

    public static Decision decide(
            String database, Instant requestedAt, Instant now, Duration maxAge, Optional<String> catalogued) {
        if (catalogued.isPresent()) {
            return new Decision(
                    Action.ANSWER_FROM_CATALOGUE,
                    "dump " + catalogued.get() + " already answers this request: published again, not taken again");
        }
        Duration age = Duration.between(requestedAt, now);
        if (age.compareTo(maxAge) > 0) {
            return new Decision(
                    Action.SKIP,
                    "requested " + age.toSeconds() + " s ago, longer than pre-migration.max-age (" + maxAge.toSeconds()
                            + " s): the migration stopped waiting for it");
        }
        if (database.indexOf('=') >= 0 || database.indexOf('\0') >= 0) {
            return new Decision(Action.REFUSE, "database name '" + database + "' is not dumped (it holds '=')");
        }
        return new Decision(Action.DUMP, "schema-only dump of " + database + " before migration");
    }
}
