package io.pgops.maintenance.domain;

import java.util.List;
import java.util.Optional;

/**
 * How a migration script runs, decided before anything is published: either every statement in one
 * transaction (the whole script commits or nothing does), or one statement that PostgreSQL refuses to run
 * inside a transaction block ({@code CREATE/DROP INDEX CONCURRENTLY}, {@code REINDEX … CONCURRENTLY},
 * {@code VACUUM}) alone. A script that mixes the two is refused: run the non-transactional statement as a
 * migration of its own, so that what failed and what was rolled back stays plain. Transaction control in the
 * script ({@code BEGIN}, {@code COMMIT}, {@code SAVEPOINT}, …) is refused, the transaction is pgops'; so are
 * statements that are not schema changes of the database ({@code CREATE DATABASE}, {@code ALTER SYSTEM},
 * tablespaces).
 *
 * @param mode how it runs
 * @param statements the statements, in order
 * @param concurrentIndex for a lone {@code CREATE INDEX CONCURRENTLY}: the index's name, so that the INVALID
 *     index a failed build leaves can be found and dropped
 */
public record MigrationPlan(Mode mode, List<ScriptSplitter.Statement> statements, Optional<String> concurrentIndex) {

    public enum Mode {
        /** All statements in one transaction under {@code SET LOCAL lock_timeout, statement_timeout}. */
        TRANSACTION,
        /** One statement outside any transaction block, the session under the same timeouts. */
        ALONE
    }

    /** A script pgops does not run (422), with the reason in words. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    public MigrationPlan {
        statements = List.copyOf(statements);
    }

    /** The plan of a script. */
    public static MigrationPlan of(String script) {
        List<ScriptSplitter.Statement> statements;
        try {
            statements = ScriptSplitter.split(script);
        } catch (ScriptSplitter.Unterminated e) {
            throw new Refused(e.getMessage());
        }
        if (statements.isEmpty()) {
            throw new Refused("the script holds no statement (only blanks and comments)");
        }
        int alone = 0;
        for (ScriptSplitter.Statement s : statements) {
            LeadingWords w = LeadingWords.of(s.text(), 12);
            String control = transactionControl(w);
            if (control != null) {
                throw new Refused("line " + s.line() + ": " + control + " is not allowed: pgops runs the migration"
                        + " in its own transaction (and commits or rolls it back itself)");
            }
            String notSchema = notASchemaChange(w);
            if (notSchema != null) {
                throw new Refused("line " + s.line() + ": " + notSchema + " is not a schema migration of the database");
            }
            if (nonTransactional(w)) {
                alone++;
            }
        }
        if (alone == 0) {
            return new MigrationPlan(Mode.TRANSACTION, statements, Optional.empty());
        }
        if (statements.size() > 1) {
            throw new Refused("the script has " + statements.size() + " statements and " + alone
                    + " of them cannot run inside a transaction (CREATE/DROP INDEX CONCURRENTLY, REINDEX"
                    + " CONCURRENTLY, VACUUM): make such a statement a migration of its own");
        }
        LeadingWords w = LeadingWords.of(statements.getFirst().text(), 12);
        Optional<String> index = Optional.empty();
        if (createsIndexConcurrently(w)) {
            index = Optional.of(indexName(w)
                    .orElseThrow(() -> new Refused("CREATE INDEX CONCURRENTLY needs the index's name (pgops"
                            + " looks it up to drop the INVALID index a failed build leaves behind)")));
        }
        return new MigrationPlan(Mode.ALONE, statements, index);
    }

    private static String transactionControl(LeadingWords w) {
        for (String k : List.of("begin", "commit", "end", "rollback", "abort", "savepoint", "release")) {
            if (w.startsWith(k)) {
                return k.toUpperCase(java.util.Locale.ROOT);
            }
        }
        if (w.startsWith("start", "transaction")) {
            return "START TRANSACTION";
        }
        if (w.startsWith("prepare", "transaction")) {
            return "PREPARE TRANSACTION";
        }
        return null;
    }

    private static String notASchemaChange(LeadingWords w) {
        if (w.startsWith("create", "database") || w.startsWith("drop", "database")) {
            return w.get(0).value().toUpperCase(java.util.Locale.ROOT) + " DATABASE";
        }
        if (w.startsWith("alter", "system")) {
            return "ALTER SYSTEM";
        }
        if (w.startsWith("create", "tablespace") || w.startsWith("drop", "tablespace")) {
            return w.get(0).value().toUpperCase(java.util.Locale.ROOT) + " TABLESPACE";
        }
        return null;
    }

    static boolean nonTransactional(LeadingWords w) {
        if (w.startsWith("vacuum")) {
            return true;
        }
        if (w.startsWith("reindex")) {
            return w.has("concurrently");
        }
        if (createsIndexConcurrently(w)) {
            return true;
        }
        return w.startsWith("drop", "index", "concurrently");
    }

    private static boolean createsIndexConcurrently(LeadingWords w) {
        return w.startsWith("create", "index", "concurrently")
                || w.startsWith("create", "unique", "index", "concurrently");
    }

    /** CREATE [UNIQUE] INDEX CONCURRENTLY [IF NOT EXISTS] name ON …: the name, if written. */
    private static Optional<String> indexName(LeadingWords w) {
        int k = w.get(1).is("unique") ? 4 : 3;
        if (w.get(k) != null && w.get(k).is("if")) {
            k += 3; // IF NOT EXISTS
        }
        LeadingWords.Word name = w.get(k);
        if (name == null
                || name.is("on")
                || w.get(k + 1) == null
                || !w.get(k + 1).is("on")) {
            return Optional.empty();
        }
        return Optional.of(name.value());
    }
}
