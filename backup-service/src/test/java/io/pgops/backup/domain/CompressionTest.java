package io.pgops.backup.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompressionTest {
    @Test
    void zstdIsCompressedOnTheServerFromPostgres15() {
        Compression.Plan p = Compression.ZSTD.planFor(15);
        assertEquals(Compression.ZSTD, p.used());
        assertEquals(List.of("--compress=server-zstd:level=1"), p.arguments());
        assertEquals("base.tar.zst", p.used().baseArchive());
        assertTrue(p.reason().contains("on the server"), p.reason());
    }

    @Test
    void zstdWorkersAreAskedOfTheServerOnlyWhenMoreThanOne() {
        Compression.Plan p = Compression.ZSTD.planFor(15, 2);
        assertEquals(List.of("--compress=server-zstd:level=1,workers=2"), p.arguments());
        assertTrue(p.reason().contains("in 2 threads"), p.reason());
        assertEquals(
                List.of("--compress=server-zstd:level=1"),
                Compression.ZSTD.planFor(15, 1).arguments());
        assertEquals(
                List.of("--compress=server-lz4"), Compression.LZ4.planFor(15, 2).arguments());
        assertEquals(List.of("--compress=6"), Compression.ZSTD.planFor(14, 2).arguments());
    }

    @Test
    void lz4IsCompressedOnTheServerAtItsDefaultLevel() {
        Compression.Plan p = Compression.LZ4.planFor(16);
        assertEquals(List.of("--compress=server-lz4"), p.arguments());
        assertEquals("base.tar.lz4", p.used().baseArchive());
    }

    @Test
    void olderServersFallBackToClientGzipAndSayWhy() {
        Compression.Plan p = Compression.LZ4.planFor(14);
        assertEquals(Compression.GZIP, p.used());
        assertEquals(List.of("--compress=6"), p.arguments());
        assertEquals("base.tar.gz", p.used().baseArchive());
        assertTrue(p.reason().contains("instead of lz4"), p.reason());
    }

    @Test
    void noneStaysAPlainTarOnEveryServer() {
        assertEquals(Compression.NONE, Compression.NONE.planFor(13).used());
        assertEquals("base.tar", Compression.NONE.baseArchive());
    }

    @Test
    void unknownCodesAreRefusedNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compression.of("bzip2"));
        assertTrue(e.getMessage().contains("zstd, lz4, gzip, none"));
        assertEquals(Compression.LZ4, Compression.of(" LZ4 "));
    }
}
