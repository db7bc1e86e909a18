package io.pgops.kit.security;

import io.pgops.events.model.ClusterId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Roles for one cluster only: a token whose {@code groups} hold {@code pgops-operator:eu-main} is an operator of the
 * cluster {@code eu-main} — on the endpoints under {@code /clusters/eu-main/} — and of nothing else (not of another
 * cluster, not of the audit trail or the metrics, which span every cluster). A global role ({@code pgops-operator})
 * still reaches every cluster. Pure: {@link ClusterScopedRoles} asks it at each request.
 */
public final class ClusterRoles {
    /** Between a role and the cluster it is limited to: {@code pgops-viewer:eu-main}. */
    public static final String SEPARATOR = ":";

    private static final Pattern CLUSTER_PATH = Pattern.compile("^/clusters/([^/]+)(/.*)?$");
    private static final Pattern CLUSTER_ID = Pattern.compile(ClusterId.PATTERN);
    private static final List<String> ROLES = List.of(Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN);

    private ClusterRoles() {}

    /**
     * The pgops roles a caller holding {@code roles} has on the request to {@code path} beyond its global ones: for a
     * path under {@code /clusters/<id>/}, each role it holds as {@code <role>:<id>}; nothing elsewhere. Only a path
     * segment that is a cluster id exactly (no encoding, no matrix parameter) grants anything, so the cluster read
     * here is the one the endpoint acts on.
     *
     * @param path the request's normalised path
     */
    public static Set<String> grantedOn(Set<String> roles, String path) {
        if (path == null) {
            return Set.of();
        }
        Matcher m = CLUSTER_PATH.matcher(path);
        if (!m.matches() || !CLUSTER_ID.matcher(m.group(1)).matches()) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        for (String role : ROLES) {
            if (roles.contains(role + SEPARATOR + m.group(1))) {
                out.add(role);
            }
        }
        return out;
    }
}
