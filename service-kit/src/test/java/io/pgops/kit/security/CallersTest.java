package io.pgops.kit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pgops.events.Requester;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallersTest {
    private static SecurityIdentity caller(String name, String... roles) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(name));
        for (String role : roles) {
            b.addRole(role);
        }
        return b.build();
    }

    @Test
    void theRequesterIsTheTokensPrincipalWithItsPgopsRolesSorted() {
        Requester r = Callers.requester(caller("alice@example.com", Roles.OPERATOR, "offline_access", Roles.ADMIN));

        assertEquals(new Requester("alice@example.com", List.of(Roles.ADMIN, Roles.OPERATOR)), r);
    }

    @Test
    void aTokenWhosePrincipalIsNoRecordableNameIsABadRequest() {
        jakarta.ws.rs.BadRequestException e = org.junit.jupiter.api.Assertions.assertThrows(
                jakarta.ws.rs.BadRequestException.class,
                () -> Callers.requester(caller("bad principal!", Roles.ADMIN)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("principal"), e.getMessage());
    }

    @Test
    void refusesAForcedPromotionToAnOperatorNamingTheRoleItNeeds() {
        ForbiddenException e = assertThrows(
                ForbiddenException.class,
                () -> Callers.require(caller("bob", Roles.OPERATOR), Roles.ADMIN, "a forced promotion"));

        assertEquals("a forced promotion needs the role pgops-admin", e.getMessage());
    }

    @Test
    void allowsAForcedPromotionToAnAdmin() {
        Callers.require(caller("carol", Roles.ADMIN), Roles.ADMIN, "a forced promotion");
    }

    @Test
    void anAnonymousCallerIsNoRequester() {
        SecurityIdentity anonymous =
                QuarkusSecurityIdentity.builder().setAnonymous(true).build();

        assertThrows(IllegalStateException.class, () -> Callers.requester(anonymous));
    }
}
