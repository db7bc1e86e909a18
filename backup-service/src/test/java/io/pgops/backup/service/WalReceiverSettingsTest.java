package io.pgops.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgops.events.model.ClusterId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WalReceiverSettingsTest {
    @Test
    void aClustersSlotIsNamedAfterItWithDashesMadeUnderscores() {
        assertEquals("pgops_wal_eu_main", WalReceiver.Settings.slotFor(ClusterId.of("eu-main")));
        assertEquals(
                63, WalReceiver.Settings.slotFor(ClusterId.of("a".repeat(63))).length());
    }

    @Test
    void aCompressionPgReceivewal15DoesNotKnowIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new WalReceiver.Settings("pgops_wal_x", "zstd", Duration.ofSeconds(1), Duration.ofSeconds(30)));
        assertEquals("WAL compression 'zstd' is not one of lz4, gzip, none", e.getMessage());
    }

    @Test
    void aSlotNameOutsideWhatPostgresAllowsIsRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new WalReceiver.Settings("Bad-Slot", "lz4", Duration.ofSeconds(1), Duration.ofSeconds(30)));
    }
}
