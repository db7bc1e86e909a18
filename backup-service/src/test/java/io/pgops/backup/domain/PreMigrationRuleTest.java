package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreMigrationRuleTest {
    static final Instant T0 = Instant.parse("2026-12-06T23:00:00Z");
    static final Duration MAX = Duration.ofMinutes(10);

    @Test
    void dumpsAFreshRequest() {
        PreMigrationRule.Decision d = PreMigrationRule.decide("orders", T0, T0.plusSeconds(2), MAX, Optional.empty());
        assertEquals(PreMigrationRule.Action.DUMP, d.action());
        assertEquals("schema-only dump of orders before migration", d.reason());
    }

    @Test
    void answersARedeliveredRequestFromTheCatalogueInsteadOfDumpingTwice() {
        PreMigrationRule.Decision d = PreMigrationRule.decide(
                "orders", T0, T0.plusSeconds(2), MAX, Optional.of("20261206T230000123Z-node1-schema"));
        assertEquals(PreMigrationRule.Action.ANSWER_FROM_CATALOGUE, d.action());
    }

    @Test
    void skipsARequestWhoseMigrationStoppedWaiting() {
        PreMigrationRule.Decision d = PreMigrationRule.decide("orders", T0, T0.plusSeconds(601), MAX, Optional.empty());
        assertEquals(PreMigrationRule.Action.SKIP, d.action());
        assertEquals(
                "requested 601 s ago, longer than pre-migration.max-age (600 s): the migration stopped waiting for it",
                d.reason());
    }

    @Test
    void refusesADatabaseNameThatLooksLikeAConnectionKeyword() {
        assertEquals(
                PreMigrationRule.Action.REFUSE,
                PreMigrationRule.decide("x host=evil", T0, T0, MAX, Optional.empty())
                        .action());
    }

    @Test
    void aSchemaDumpIdIsABackupIdThatSaysSchema() {
        assertEquals(
                "20261206T230000000Z-node1-schema",
                DumpEntry.schemaId(T0, io.pgops.events.model.NodeName.of("node1"))
                        .value());
    }
}
