package io.pgops.replication.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pgops.replication.domain.HostFactsReading.Mount;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostFactsReadingTest {
    private static final String MEMINFO = """
            MemTotal:       16375388 kB
            MemFree:         1022300 kB
            MemAvailable:    9817544 kB
            """;

    private static final String MOUNTS = """
            proc /proc proc rw,relatime 0 0
            /dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0
            /dev/sdb1 /var/lib/postgresql ext4 rw,noatime 0 0
            /dev/sdc1 /var/lib/postgresql-archive xfs rw,relatime 0 0
            tmpfs /run tmpfs rw,nosuid,nodev,size=1635540k,mode=755 0 0
            /dev/sdd1 /srv/pg\\040data xfs rw,noatime,nodiratime 0 0
            """;

    @Test
    void memTotalIsKibibytesTurnedIntoBytes() {
        assertEquals(Optional.of(16_375_388L * 1024), HostFactsReading.memTotalBytes(MEMINFO));
    }

    @Test
    void memoryIsUnknownWhenTheFileSaysNoMemTotal() {
        assertEquals(Optional.empty(), HostFactsReading.memTotalBytes("MemFree: 1 kB\n"));
        assertEquals(Optional.empty(), HostFactsReading.memTotalBytes(null));
    }

    @Test
    void aContainersCgroupMemoryLimitBelowMemTotalIsTheMemoryPostgresMayUse() {
        Optional<Long> mem = HostFactsReading.memTotalBytes(MEMINFO);
        assertEquals(
                Optional.of(4L << 30),
                HostFactsReading.usableMemory(mem, HostFactsReading.memoryLimitBytes("4294967296\n")));
        assertEquals(mem, HostFactsReading.usableMemory(mem, HostFactsReading.memoryLimitBytes("max\n")), "v2");
        assertEquals(
                mem,
                HostFactsReading.usableMemory(mem, HostFactsReading.memoryLimitBytes("9223372036854771712\n")),
                "v1 without a limit");
        assertEquals(mem, HostFactsReading.usableMemory(mem, HostFactsReading.memoryLimitBytes("68719476736")));
        assertEquals(Optional.empty(), HostFactsReading.usableMemory(Optional.empty(), Optional.empty()));
    }

    @Test
    void aProcSysValueIsOneInteger() {
        assertEquals(Optional.of(60), HostFactsReading.integer("60\n"));
        assertEquals(Optional.empty(), HostFactsReading.integer("sixty"));
        assertEquals(Optional.empty(), HostFactsReading.integer(null));
    }

    @Test
    void transparentHugePagesModeIsTheBracketedOne() {
        assertEquals(Optional.of("madvise"), HostFactsReading.selectedMode("always [madvise] never\n"));
        assertEquals(Optional.of("never"), HostFactsReading.selectedMode("always madvise [never]"));
        assertEquals(Optional.empty(), HostFactsReading.selectedMode("always madvise never"));
    }

    @Test
    void theDataDirectoryLivesOnTheLongestMountPointAboveIt() {
        assertEquals(
                Optional.of(new Mount("/dev/sdb1", "/var/lib/postgresql", "ext4", "rw,noatime")),
                HostFactsReading.mountOf(MOUNTS, "/var/lib/postgresql/15/main"));
    }

    @Test
    void aMountPointThatIsOnlyANamePrefixDoesNotHoldTheDirectory() {
        assertEquals(
                "/var/lib/postgresql-archive",
                HostFactsReading.mountOf(MOUNTS, "/var/lib/postgresql-archive/wal")
                        .orElseThrow()
                        .mountPoint());
        assertEquals(
                "/",
                HostFactsReading.mountOf(MOUNTS, "/var/lib/postgres")
                        .orElseThrow()
                        .mountPoint());
    }

    @Test
    void escapedSpacesInMountPointsAreDecoded() {
        assertEquals(
                "rw,noatime,nodiratime",
                HostFactsReading.mountOf(MOUNTS, "/srv/pg data/main")
                        .orElseThrow()
                        .options());
    }

    @Test
    void theLastMountOnTheSamePointHidesTheEarlierOne() {
        String over = MOUNTS + "tmpfs /var/lib/postgresql tmpfs rw,relatime 0 0\n";
        assertEquals(
                "tmpfs",
                HostFactsReading.mountOf(over, "/var/lib/postgresql/15/main")
                        .orElseThrow()
                        .device());
    }

    @Test
    void rotationalOneIsAHardDiskZeroASolidStateDiskAndAnythingElseUnknown() {
        assertEquals("hdd", HostFactsReading.storage("1\n"));
        assertEquals("ssd", HostFactsReading.storage("0\n"));
        assertEquals("unknown", HostFactsReading.storage(null));
        assertEquals("unknown", HostFactsReading.storage(""));
    }
}
