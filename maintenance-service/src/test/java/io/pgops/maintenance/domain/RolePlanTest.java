package io.pgops.maintenance.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pgops.maintenance.domain.RolePlan.Purpose;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolePlanTest {
    static final String VERIFIER =
            "SCRAM-SHA-256$4096:J5PZbJp5cEKUrY4OQmnEYw==$GqeVfUyEsqkLAS9lMrIfs8tB6L/5wEO9ePTR88U4erQ=:JLwZEPVc6FQ9og6JocaHAp9dhv5Yo1diKI5JjWPydB4=";

    @Test
    void theAppRoleGetsDmlOnlyNowAndOnTablesCreatedLater() {
        List<String> g = RolePlan.grants("shop_app", Purpose.APP, "shop");
        assertTrue(g.contains("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \"shop_app\""));
        assertTrue(g.stream().anyMatch(s -> s.startsWith("ALTER DEFAULT PRIVILEGES") && s.contains("ON TABLES")));
        assertTrue(
                g.stream().noneMatch(s -> s.contains("TRUNCATE") || s.contains("CREATE ON") || s.contains(" ALL ON")));
    }

    @Test
    void replicationRolesGetTheAttributeAndNoTableAccess() {
        assertEquals(List.of(), RolePlan.grants("shop_backup", Purpose.BACKUP, "shop"));
        assertTrue(RolePlan.createRole("shop_backup", Purpose.BACKUP, VERIFIER).contains(" REPLICATION PASSWORD"));
        assertTrue(RolePlan.createRole("shop_app", Purpose.APP, VERIFIER).contains("NOREPLICATION"));
        assertTrue(RolePlan.createRole("shop_app", Purpose.APP, VERIFIER).contains("NOSUPERUSER"));
    }

    @Test
    void namesFromOutsideAreQuotedAndAPrefixOutsideThePatternIsRefused() {
        assertTrue(
                RolePlan.grants("shop_app", Purpose.APP, "we\"ird").getFirst().contains("\"we\"\"ird\""));
        for (String bad : List.of("Shop", "1shop", "shop-x", "shop;drop", "", "a".repeat(41))) {
            assertThrows(IllegalArgumentException.class, () -> RolePlan.roleName(bad, Purpose.APP), bad);
        }
        assertEquals("shop_readonly", RolePlan.roleName("shop", Purpose.READONLY));
    }

    @Test
    void onlyAScramVerifierBecomesAPasswordLiteral() {
        assertThrows(
                IllegalArgumentException.class,
                () -> RolePlan.createRole("shop_app", Purpose.APP, "secret' SUPERUSER --"));
        assertFalse(RolePlan.alterRole("shop_app", Purpose.APP, null).contains("PASSWORD"));
    }
}
