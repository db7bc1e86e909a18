/**
 * The event contract of pgops.
 *
 * <p>A named module so that the sealed {@link io.pgops.events.PgopsEvent} may permit the area interfaces of
 * its sub-packages. On the class path (as the Quarkus services use it) all packages share the unnamed module,
 * which the JVM accepts for sealed hierarchies.
 */
module io.pgops.events {
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;

    exports io.pgops.events;
    exports io.pgops.events.model;
    exports io.pgops.events.health;
    exports io.pgops.events.replication;
    exports io.pgops.events.backup;
    exports io.pgops.events.maintenance;
    exports io.pgops.events.audit;

    opens io.pgops.events to
            com.fasterxml.jackson.databind;
    opens io.pgops.events.model to
            com.fasterxml.jackson.databind;
    opens io.pgops.events.health to
            com.fasterxml.jackson.databind;
    opens io.pgops.events.replication to
            com.fasterxml.jackson.databind;
    opens io.pgops.events.backup to
            com.fasterxml.jackson.databind;
    opens io.pgops.events.maintenance to
            com.fasterxml.jackson.databind;
    opens io.pgops.events.audit to
            com.fasterxml.jackson.databind;
}
