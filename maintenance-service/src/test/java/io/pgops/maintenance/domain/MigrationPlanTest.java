package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationPlanTest {

    @Test
    void aScriptOfOrdinaryStatementsRunsInOneTransaction() {
        MigrationPlan p = MigrationPlan.of("CREATE TABLE a (id int); ALTER TABLE a ADD COLUMN b text;");
        assertEquals(MigrationPlan.Mode.TRANSACTION, p.mode());
        assertEquals(2, p.statements().size());
        assertEquals(Optional.empty(), p.concurrentIndex());
    }

    @Test
    void aLoneCreateIndexConcurrentlyRunsAloneAndNamesItsIndex() {
        MigrationPlan p = MigrationPlan.of("-- lookups\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS"
                + " \"Orders_Ref\" ON public.orders (ref);");
        assertEquals(MigrationPlan.Mode.ALONE, p.mode());
        assertEquals(Optional.of("Orders_Ref"), p.concurrentIndex());
        assertEquals(
                Optional.of("orders_customer"),
                MigrationPlan.of("create index concurrently ORDERS_CUSTOMER on orders (customer_id)")
                        .concurrentIndex());
    }

    @Test
    void otherNonTransactionalStatementsRunAloneWithoutAnIndexToClean() {
        for (String s : new String[] {
            "DROP INDEX CONCURRENTLY orders_old", "REINDEX INDEX CONCURRENTLY orders_pkey", "VACUUM (ANALYZE) orders"
        }) {
            MigrationPlan p = MigrationPlan.of(s);
            assertEquals(MigrationPlan.Mode.ALONE, p.mode(), s);
            assertEquals(Optional.empty(), p.concurrentIndex(), s);
        }
        assertEquals(
                MigrationPlan.Mode.TRANSACTION,
                MigrationPlan.of("REINDEX INDEX orders_pkey").mode());
    }

    @Test
    void refusesAConcurrentIndexMixedWithOtherStatements() {
        MigrationPlan.Refused e = assertThrows(
                MigrationPlan.Refused.class,
                () -> MigrationPlan.of("ALTER TABLE t ADD c int; CREATE INDEX CONCURRENTLY t_c ON t (c);"));
        assertTrue(e.getMessage().contains("make such a statement a migration of its own"), e.getMessage());
    }

    @Test
    void refusesAConcurrentIndexWithoutAName() {
        MigrationPlan.Refused e =
                assertThrows(MigrationPlan.Refused.class, () -> MigrationPlan.of("CREATE INDEX CONCURRENTLY ON t (c)"));
        assertTrue(e.getMessage().contains("needs the index's name"), e.getMessage());
    }

    @Test
    void refusesTransactionControlBecauseTheTransactionIsPgops() {
        for (String s : new String[] {"BEGIN; CREATE TABLE a (id int); COMMIT;", "savepoint x", "START TRANSACTION"}) {
            MigrationPlan.Refused e = assertThrows(MigrationPlan.Refused.class, () -> MigrationPlan.of(s), s);
            assertTrue(e.getMessage().contains("pgops runs the migration in its own transaction"), e.getMessage());
        }
    }

    @Test
    void refusesWhatIsNotASchemaMigration() {
        MigrationPlan.Refused e =
                assertThrows(MigrationPlan.Refused.class, () -> MigrationPlan.of("ALTER SYSTEM SET work_mem = '1GB'"));
        assertEquals("line 1: ALTER SYSTEM is not a schema migration of the database", e.getMessage());
        assertThrows(MigrationPlan.Refused.class, () -> MigrationPlan.of("create database x"));
    }

    @Test
    void refusesAnEmptyOrUnterminatedScript() {
        assertThrows(MigrationPlan.Refused.class, () -> MigrationPlan.of("-- nothing\n;"));
        assertThrows(MigrationPlan.Refused.class, () -> MigrationPlan.of("SELECT 'open"));
    }

    @Test
    void aWordInsideAFunctionBodyDoesNotMakeItNonTransactional() {
        MigrationPlan p = MigrationPlan.of("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ VACUUM $$;"
                + " COMMENT ON TABLE t IS 'BEGIN; VACUUM';");
        assertEquals(MigrationPlan.Mode.TRANSACTION, p.mode());
    }
}
