package io.pgops.kit.inventory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster inventory every service reads: {@code pgops.clusters.<cluster-id>.*}. The local stack
 * writes it (config/inventory.properties); in production it is a config file or ConfigMap.
 */
@ConfigMapping(prefix = "pgops.clusters")
public interface Inventory {

    /** Managed clusters by cluster id. */
    @WithParentName
    Map<String, Cluster> clusters();

    interface Cluster {
        /** Nodes by node name. */
        Map<String, Node> nodes();

        /** Database the probes and agents connect to. */
        @WithDefault("postgres")
        String database();

        /** The account pgops uses on this cluster; the password is referenced, never inline. */
        Credentials credentials();

        /**
         * Synchronous replication of this cluster: {@code off}, {@code on} (commits wait for a synchronous
         * standby while one streams; degrades when none can) or {@code strict} (never degrades); absent: the
         * replication coordinator's {@code pgops.coordinator.synchronous-mode}.
         */
        Optional<String> synchronousMode();

        /**
         * libpq's {@code sslmode} for pgops' connections to this cluster's nodes: {@code disable}, {@code allow},
         * {@code prefer} (the default, as libpq's: encrypted when the server offers it, unverified), {@code
         * require}, {@code verify-ca} or {@code verify-full} (the server's certificate signed by {@link
         * #sslrootcert()} and naming the host connected to). See {@link PgTls}.
         */
        @WithDefault("prefer")
        String sslmode();

        /**
         * The CA certificate (PEM file) that signed the nodes' server certificates: needed by {@code verify-ca} and
         * {@code verify-full}; with {@code require} or below it is used when given, as libpq does.
         */
        Optional<String> sslrootcert();
    }

    interface Node {
        /** Host name or address of the node. */
        String host();

        /** PostgreSQL port of the node. */
        @WithDefault("5432")
        int port();

        /** The role the node was built with (primary, sync-standby, async-standby); only a hint. */
        Optional<String> roleHint();

        /** Never promote this node (Patroni's nofailover tag). */
        @WithDefault("false")
        boolean nofailover();

        /** Failover priority: higher is preferred; 0 never. */
        @WithDefault("1")
        int priority();

        /** Never a synchronous standby (Patroni's nosync tag). */
        @WithDefault("false")
        boolean nosync();

        /**
         * Base URL of the replication agent beside this node (e.g. {@code http://10.0.0.11:8008}); the
         * coordinator drives the node through it. Without it the node can be watched but not managed.
         */
        Optional<String> agentUrl();
    }

    interface Credentials {
        /** User name. */
        String username();

        /** File that holds the password (mode 600); read when connecting, never logged. */
        String passwordFile();
    }
}
