package io.pgops.audit.service;

import java.time.Instant;

/**
 * A cluster seen in the recent trail.
 *
 * @param cluster the cluster id
 * @param events how many of the recent events are about it
 * @param lastEventAt when its latest event happened
 */
public record ClusterActivity(String cluster, long events, Instant lastEventAt) {}
