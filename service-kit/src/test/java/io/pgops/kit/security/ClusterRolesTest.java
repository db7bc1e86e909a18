package io.pgops.kit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterRolesTest {

    @Test
    void aRoleLimitedToAClusterHoldsOnThatClustersEndpoints() {
        Set<String> roles = Set.of("pgops-operator:eu-main", "pgops-viewer:us-east");
        assertEquals(Set.of(Roles.OPERATOR), ClusterRoles.grantedOn(roles, "/clusters/eu-main/switchover"));
        assertEquals(Set.of(Roles.OPERATOR), ClusterRoles.grantedOn(roles, "/clusters/eu-main"));
        assertEquals(Set.of(Roles.VIEWER), ClusterRoles.grantedOn(roles, "/clusters/us-east/backups"));
    }

    @Test
    void itHoldsOnNoOtherClusterNorOnWhatSpansEveryCluster() {
        Set<String> roles = Set.of("pgops-admin:eu-main");
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, "/clusters/us-east/promote"));
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, "/clusters/eu-main-2/promote"));
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, "/audit/events"));
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, "/q/metrics"));
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, "/clusters"));
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, null));
    }

    @Test
    void aPathWhoseClusterSegmentIsNotExactlyAClusterIdGrantsNothing() {
        Set<String> roles = Set.of("pgops-operator:eu-main");
        // matrix parameters and encodings are read by the endpoint, not here: such a path is refused, never widened
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, "/clusters/eu-main;x=1/switchover"));
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, "/clusters/eu%2Dmain/switchover"));
        assertEquals(Set.of(), ClusterRoles.grantedOn(roles, "/x/clusters/eu-main/switchover"));
    }

    @Test
    void aGlobalRoleOrAnotherGroupIsNoClusterRole() {
        assertEquals(Set.of(), ClusterRoles.grantedOn(Set.of("pgops-operator", "dba:eu-main"), "/clusters/eu-main"));
    }
}
