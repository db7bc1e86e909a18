package io.pgops.health.domain.sample;

/**
 * Connection use and wraparound ages.
 *
 * @param clientConnections client backends connected now
 * @param maxConnections {@code max_connections}
 * @param reservedConnections {@code superuser_reserved_connections} (+ {@code reserved_connections} on 16+)
 * @param xidAge the oldest {@code age(datfrozenxid)} of any database, transactions
 * @param multixactAge the oldest {@code mxid_age(datminmxid)} of any database, multixacts
 */
public record Capacity(
        int clientConnections, int maxConnections, int reservedConnections, long xidAge, long multixactAge) {}
