package io.pgops.kit.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gives a caller with a cluster-limited role ({@code pgops-operator:eu-main}, {@link ClusterRoles}) that role for a
 * request to that cluster's endpoints, so every {@code @RolesAllowed} applies as it is written: an operator of
 * {@code eu-main} may switch {@code eu-main} over and is refused (403) on any other cluster.
 */
@ApplicationScoped
public class ClusterScopedRoles implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return Uni.createFrom().item(identity); // without the request there is no cluster to grant anything on
    }

    @Override
    public Uni<SecurityIdentity> augment(
            SecurityIdentity identity, AuthenticationRequestContext context, Map<String, Object> attributes) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        RoutingContext request = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        if (request == null) {
            return Uni.createFrom().item(identity);
        }
        Set<String> add = new TreeSet<>(ClusterRoles.grantedOn(identity.getRoles(), request.normalizedPath()));
        add.removeAll(identity.getRoles());
        if (add.isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom()
                .item(QuarkusSecurityIdentity.builder(identity).addRoles(add).build());
    }
}
