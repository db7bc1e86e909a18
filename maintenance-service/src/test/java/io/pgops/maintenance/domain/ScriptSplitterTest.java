package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptSplitterTest {

    private static List<String> texts(String script) {
        return ScriptSplitter.split(script).stream()
                .map(ScriptSplitter.Statement::text)
                .toList();
    }

    @Test
    void splitsAtTheSemicolonsThatEndStatements() {
        assertEquals(
                List.of("CREATE TABLE a (id int)", "ALTER TABLE a ADD COLUMN b text"),
                texts("CREATE TABLE a (id int);\nALTER TABLE a ADD COLUMN b text;\n"));
    }

    @Test
    void aLastStatementWithoutSemicolonStillCounts() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), texts("SELECT 1; SELECT 2"));
    }

    @Test
    void keepsSemicolonsInsideStringsIdentifiersAndComments() {
        String script = "INSERT INTO t VALUES ('a;b', 'it''s;');\n"
                + "CREATE TABLE \"x;y\" (id int); -- trailing; comment\n"
                + "/* a ; block /* nested ; */ still ; comment */ SELECT E'back\\';slash';";
        assertEquals(
                List.of(
                        "INSERT INTO t VALUES ('a;b', 'it''s;')",
                        "CREATE TABLE \"x;y\" (id int)",
                        "-- trailing; comment\n/* a ; block /* nested ; */ still ; comment */ SELECT E'back\\';slash'"),
                texts(script));
    }

    @Test
    void keepsAFunctionBodyInDollarQuotesWhole() {
        String fn =
                "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN PERFORM 1; RETURN 2; END" + " $body$";
        String other = "SELECT $$;$$, $1";
        assertEquals(List.of(fn, other), texts(fn + ";\n" + other + ";"));
    }

    @Test
    void dropsStatementsOfOnlyCommentsAndBlanks() {
        assertEquals(List.of("SELECT 1"), texts("-- header\n;\n  ; /* nothing */ ;SELECT 1;\n-- end"));
    }

    @Test
    void tellsTheLineEachStatementStartsOn() {
        List<ScriptSplitter.Statement> s = ScriptSplitter.split("SELECT 1;\n\n  SELECT\n 2;");
        assertEquals(1, s.get(0).line());
        assertEquals(3, s.get(1).line());
    }

    @Test
    void refusesAnUnterminatedStringSayingWhere() {
        ScriptSplitter.Unterminated e =
                assertThrows(ScriptSplitter.Unterminated.class, () -> ScriptSplitter.split("SELECT 1;\nSELECT 'x;"));
        assertEquals("unterminated string starting on line 2", e.getMessage());
    }

    @Test
    void refusesAnUnterminatedDollarQuoteOrComment() {
        assertThrows(ScriptSplitter.Unterminated.class, () -> ScriptSplitter.split("DO $$ BEGIN; END;"));
        assertThrows(ScriptSplitter.Unterminated.class, () -> ScriptSplitter.split("SELECT 1; /* open"));
    }
}
