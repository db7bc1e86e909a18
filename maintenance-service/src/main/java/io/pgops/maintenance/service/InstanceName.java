package io.pgops.maintenance.service;

import io.pgops.maintenance.config.Policies;

/**
 * This instance's name where a ledger row names who took or holds it ({@code pgops_ledger.pending_migrations.owner},
 * {@code pgops_ledger.emergency_tokens.taken_by}): {@code pgops.maintenance.migration.instance-id}, else the host
 * name and the HTTP port.
 */
final class InstanceName {
    private InstanceName() {}

    static String of(Policies policies) {
        return policies.config().migration().instanceId().orElseGet(InstanceName::hostAndPort);
    }

    private static String hostAndPort() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + ":"
                + org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getOptionalValue("quarkus.http.port", String.class)
                        .orElse("8080");
    }
}
