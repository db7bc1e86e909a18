package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void readsTheSizesOperatorsWrite() {
        assertEquals(16L << 20, ByteSize.parse("16MB"));
        assertEquals(1L << 30, ByteSize.parse("1GB"));
        assertEquals(512L << 10, ByteSize.parse("512kB"));
        assertEquals(1048576, ByteSize.parse("1048576"));
        assertEquals(16L << 20, ByteSize.parse(" 16 mb "));
    }

    @Test
    void rejectsWhatIsNotASizeAndQuotesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("lots"));
        assertTrue(e.getMessage().contains("'lots'"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("-1MB"));
        assertThrows(ArithmeticException.class, () -> ByteSize.parse("999999999999999TB"));
    }
}
