package io.pgops.backup.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.backup.domain.DumpEntry;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.service.BackupFailure;
import io.pgops.backup.service.ChunkedGcm;
import io.pgops.backup.service.EncryptionKey;
import io.pgops.backup.service.LogicalDump;
import io.pgops.backup.service.Source;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.pgtools.Cmd;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The logical dump engine against the test kit's primary, with the inventory's account: a full dump holds the
 * table's data, a schema-only one only its definition; both read back with pg_restore --list, are catalogued,
 * and a failed dump leaves nothing under a dump's name.
 */
class LogicalDumpIT {
    static final ClusterId CLUSTER = ClusterId.of("logical");
    static final String DB = "ld_it";
    static PgNode primary;
    static LogicalDump dump;
    static Path repo;

    @BeforeAll
    static void aDatabaseWithATable() {
        TestStack stack = TestStack.get();
        primary = stack.cluster().getFirst();
        primary.sql("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE);\nCREATE DATABASE " + DB + ";");
        primary.sql("\\c " + DB + "\nCREATE TABLE ld_rows (id int PRIMARY KEY, note text);"
                + " INSERT INTO ld_rows SELECT g, md5(g::text) FROM generate_series(1, 1000) g;");
        repo = stack.dir().resolve("logical-repo");
        dump = new LogicalDump(
                PgBinaries.locate(), new RepositoryLayout(repo), Duration.ofMinutes(5), Duration.ofSeconds(5));
    }

    static Source source() {
        return new Source(
                CLUSTER,
                NodeName.of(primary.name()),
                "127.0.0.1",
                primary.port(),
                PgTopology.PGOPS_USER,
                TestStack.get().secrets().password(PgTopology.PGOPS_USER));
    }

    static String toc(DumpEntry e) {
        return Cmd.of(
                        PgBinaries.locate().tool("pg_restore"),
                        "--list",
                        dump.file(e).toString())
                .run();
    }

    @Test
    void theDatabasesOfTheNodeAreListedWithoutTemplates() throws Exception {
        List<String> dbs = dump.databases(source(), "postgres");
        assertTrue(dbs.contains(DB), dbs.toString());
        assertTrue(dbs.contains("postgres"), dbs.toString());
        assertFalse(dbs.contains("template0") || dbs.contains("template1"), dbs.toString());
    }

    @Test
    void aFullDumpHoldsTheDataAndASchemaOnlyDumpOnlyTheDefinitions() throws Exception {
        DumpEntry full = dump.take(source(), DB, new LogicalDump.Request(null, "c-full", null), DumpEntry.FULL);
        DumpEntry schema = dump.take(source(), DB, new LogicalDump.Request("e-1", "c-schema", "7"));
        assertTrue(full.id().value().endsWith("-full"), full.id().value());
        assertEquals("full.dump", full.file());
        assertTrue(Files.size(dump.file(full)) > Files.size(dump.file(schema)));
        assertTrue(toc(full).contains("TABLE DATA public ld_rows"), toc(full));
        assertTrue(toc(schema).contains("TABLE public ld_rows"), toc(schema));
        assertFalse(toc(schema).contains("TABLE DATA"), toc(schema));
        assertTrue(full.tocEntries() > schema.tocEntries());
        assertEquals(
                List.of(full.id(), schema.id()),
                dump.list(CLUSTER).stream().map(DumpEntry::id).toList());
        assertEquals(schema.id(), dump.answering(CLUSTER, "e-1").orElseThrow().id());
        System.out.printf(
                "logical dump figures: full %d bytes %d entries %d ms, schema-only %d bytes %d entries %d ms%n",
                full.storedBytes(),
                full.tocEntries(),
                full.durationMillis(),
                schema.storedBytes(),
                schema.tocEntries(),
                schema.durationMillis());
    }

    @Test
    void withTheRepositorysKeyADumpIsStoredEncryptedAndDecryptsToOneThatPgRestoreReads() throws Exception {
        Path dir = TestStack.get().dir().resolve("logical-enc");
        Files.createDirectories(dir);
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        Path keyFile = dir.resolve("dump.key");
        Files.write(keyFile, raw);
        EncryptionKey key = EncryptionKey.fromReference("file:" + keyFile, java.util.Map.of());
        Path staging = dir.resolve("staging");
        LogicalDump encrypted = new LogicalDump(
                PgBinaries.locate(),
                new RepositoryLayout(dir.resolve("repo")),
                Duration.ofMinutes(5),
                Duration.ofSeconds(5),
                java.util.Optional.of(key),
                staging);
        DumpEntry e = encrypted.take(source(), DB, new LogicalDump.Request(null, "c-enc", null), DumpEntry.FULL);
        assertEquals(key.id(), e.encryptionKeyId());
        byte[] stored = Files.readAllBytes(encrypted.file(e));
        assertEquals(e.storedBytes(), stored.length);
        assertEquals("PGOPSGCM", new String(stored, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertFalse(
                new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains("ld_rows"),
                "no table name in the clear");
        try (var left = Files.list(staging)) {
            assertEquals(0, left.count(), "no plain copy stays in the staging directory");
        }
        Path plain = dir.resolve("plain.dump");
        try (var in = Files.newInputStream(encrypted.file(e));
                var out = Files.newOutputStream(plain)) {
            ChunkedGcm.decrypt(in, out, key);
        }
        String toc = Cmd.of(PgBinaries.locate().tool("pg_restore"), "--list", plain.toString())
                .run();
        assertTrue(toc.contains("TABLE DATA public ld_rows"), toc);
        assertEquals(
                List.of(e.id()),
                encrypted.list(CLUSTER).stream().map(DumpEntry::id).toList());
    }

    @Test
    void aDumpOfADatabaseThatDoesNotExistFailsAndLeavesNothing() throws Exception {
        int before = dump.list(CLUSTER).size();
        BackupFailure f = org.junit.jupiter.api.Assertions.assertThrows(
                BackupFailure.class,
                () -> dump.take(source(), "ld_missing", new LogicalDump.Request(null, "c-x", null), DumpEntry.FULL));
        assertEquals("copy", f.stage());
        assertTrue(f.error().contains("ld_missing"), f.error());
        assertEquals(before, dump.list(CLUSTER).size());
        try (var left = Files.list(new RepositoryLayout(repo).dumps(CLUSTER))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".partial-")));
        }
    }
}
