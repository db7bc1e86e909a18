package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WalShippingTest {
    private static final long SIZE = WalSegment.DEFAULT_SIZE;

    @Test
    void aSegmentStillBeingWrittenIsNeverCopied() {
        assertEquals(
                List.of("000000010000000000000003.lz4"),
                WalShipping.toShip(
                        List.of("000000010000000000000003.lz4", "000000010000000000000004.lz4.partial"),
                        Set.of(),
                        SIZE));
    }

    @Test
    void whatTheBucketHoldsIsNotCopiedAgain() {
        assertEquals(
                List.of("000000010000000000000004.lz4"),
                WalShipping.toShip(
                        List.of("000000010000000000000003.lz4", "000000010000000000000004.lz4"),
                        Set.of("000000010000000000000003.lz4"),
                        SIZE));
    }

    @Test
    void historyFilesGoFirstThenSegmentsByTimelineAndPosition() {
        assertEquals(
                List.of(
                        "00000002.history",
                        "000000010000000000000009",
                        "00000001000000010000000A",
                        "000000020000000100000000.lz4"),
                WalShipping.toShip(
                        List.of(
                                "000000020000000100000000.lz4",
                                "00000001000000010000000A",
                                "00000002.history",
                                "000000010000000000000009"),
                        Set.of(),
                        SIZE));
    }

    @Test
    void anythingElseInTheDirectoryStaysLocal() {
        assertEquals(
                List.of(),
                WalShipping.toShip(
                        List.of(
                                "pg_receivewal.log",
                                ".000000010000000000000003.tmp",
                                "backup_label",
                                "00000000.history"),
                        Set.of(),
                        SIZE));
        assertFalse(WalShipping.shippable("000000010000000000000003.partial", SIZE));
        assertTrue(WalShipping.shippable("00000003.history", SIZE));
    }

    @Test
    void anEncryptedObjectStandsForTheFileOfItsNameWithoutTheSuffix() {
        String o = WalShipping.objectName("000000010000000000000003.lz4", true);
        assertEquals("000000010000000000000003.lz4.gcm", o);
        assertEquals("000000010000000000000003.lz4", WalShipping.fileName(o));
        assertEquals("00000002.history", WalShipping.fileName(WalShipping.objectName("00000002.history", false)));
    }
}
