package io.pgops.events;

/**
 * A record of the primary's lease protocol between the agents and the owning coordinator ({@code
 * LeaseAsked}, {@code LeaseGranted}): published on {@link Topics#REPLICATION_LEASES}, about once a second
 * per cluster. Protocol, not a fact for the audit trail: the trail records what the lease decided ({@code
 * NodeFenced} with method {@code lease-expired}).
 */
public interface LeaseProtocol {}
