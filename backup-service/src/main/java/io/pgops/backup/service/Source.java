package io.pgops.backup.service;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;

/**
 * The node a backup is taken from and the account it connects with (a role with REPLICATION, allowed
 * replication connections by pg_hba.conf). The password is held only for the tool's environment
 * ({@code PGPASSWORD}), never put on a command line, never printed.
 */
public record Source(ClusterId cluster, NodeName node, String host, int port, String user, String password) {

    public String hostPort() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "Source[" + cluster + "/" + node + " " + hostPort() + " as " + user + "]"; // never the password
    }
}
