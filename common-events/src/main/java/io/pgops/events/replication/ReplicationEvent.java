package io.pgops.events.replication;

import io.pgops.events.PgopsEvent;

/**
 * Commands to and decisions of the replication service: promotion, switchover, failover, fencing, rejoining
 * and the resulting topology.
 */
public sealed interface ReplicationEvent extends PgopsEvent
        permits PromoteRequested,
                SwitchoverRequested,
                SwitchoverCancellationRequested,
                ReinitRequested,
                PauseRequested,
                ResumeRequested,
                FailoverStarted,
                NodeFenced,
                NodePromoted,
                FailoverCompleted,
                FailoverRefused,
                StandbyRejoined,
                TopologyChanged,
                LeaseAsked,
                LeaseGranted,
                AgentCommandRefused,
                HostFactsReported {}
