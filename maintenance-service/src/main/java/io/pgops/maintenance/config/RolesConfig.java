package io.pgops.maintenance.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Provisioning of least-privilege roles ({@code pgops.maintenance.roles.*}). */
@ConfigMapping(prefix = "pgops.maintenance.roles")
public interface RolesConfig {
    /**
     * Where a provisioned role's password is handed over: {@code <dir>/<cluster>/<role>.password}, mode 600 in a
     * directory of mode 700 on the service's host (never in an answer, an event or a log).
     */
    @WithDefault("${java.io.tmpdir}/pgops-role-passwords")
    String passwordDir();
}
