package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ObjectNameTest {
    @Test
    void eachPartIsQuotedWithDoubleQuotesDoubled() {
        assertEquals("\"public\".\"a\"\"b\"", new ObjectName("public", "a\"b").quoted());
    }

    @Test
    void anInjectionAttemptStaysOneQuotedIdentifier() {
        assertEquals(
                "VACUUM (ANALYZE) \"public\".\"x; DROP TABLE y\"",
                TaskKind.VACUUM.sql(new ObjectName("public", "x; DROP TABLE y")));
        assertEquals("\"x\"\"; DROP TABLE y; --\"", ObjectName.quote("x\"; DROP TABLE y; --"));
    }

    @Test
    void anEmptyNameOrANulCharacterCannotBeQuoted() {
        assertThrows(IllegalArgumentException.class, () -> ObjectName.quote(""));
        assertThrows(IllegalArgumentException.class, () -> ObjectName.quote("a\0b"));
    }

    @Test
    void eachTaskHasItsStatementAndWireCode() {
        ObjectName i = new ObjectName("s", "i");
        assertEquals("ANALYZE \"s\".\"i\"", TaskKind.ANALYZE.sql(i));
        assertEquals("REINDEX INDEX CONCURRENTLY \"s\".\"i\"", TaskKind.REINDEX.sql(i));
        assertEquals("DROP INDEX CONCURRENTLY IF EXISTS \"s\".\"i\"", TaskKind.DROP_INVALID_INDEX.sql(i));
        assertEquals(
                TaskKind.DROP_INVALID_INDEX,
                TaskKind.ofCode("drop-invalid-index").orElseThrow());
        assertEquals(true, TaskKind.ofCode("DROP TABLE").isEmpty());
    }
}
