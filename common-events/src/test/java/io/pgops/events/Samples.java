package io.pgops.events;

import io.pgops.events.audit.ChainCheckpointed;
import io.pgops.events.backup.BackupCompleted;
import io.pgops.events.backup.BackupExpired;
import io.pgops.events.backup.BackupFailed;
import io.pgops.events.backup.BackupKind;
import io.pgops.events.backup.BackupRequested;
import io.pgops.events.backup.BackupStarted;
import io.pgops.events.backup.BackupVerificationFailed;
import io.pgops.events.backup.BackupVerified;
import io.pgops.events.backup.RestoreCompleted;
import io.pgops.events.backup.RestoreFailed;
import io.pgops.events.backup.RestoreRequested;
import io.pgops.events.backup.WalArchiveGapDetected;
import io.pgops.events.health.HealthCheckFailed;
import io.pgops.events.health.HealthCheckRecovered;
import io.pgops.events.health.LagExceeded;
import io.pgops.events.health.LagRecovered;
import io.pgops.events.health.NodeReachable;
import io.pgops.events.health.NodeUnreachable;
import io.pgops.events.health.PrimaryUnreachable;
import io.pgops.events.health.SecurityFindingDetected;
import io.pgops.events.health.SecurityFindingResolved;
import io.pgops.events.maintenance.ConfigDriftDetected;
import io.pgops.events.maintenance.EmergencyActionRequested;
import io.pgops.events.maintenance.MaintenanceCompleted;
import io.pgops.events.maintenance.MaintenanceDue;
import io.pgops.events.maintenance.MaintenanceFailed;
import io.pgops.events.maintenance.MaintenanceStarted;
import io.pgops.events.maintenance.MigrationApplied;
import io.pgops.events.maintenance.MigrationFailed;
import io.pgops.events.maintenance.MigrationRequested;
import io.pgops.events.maintenance.RoleProvisioned;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.NodeName;
import io.pgops.events.model.Role;
import io.pgops.events.model.Term;
import io.pgops.events.model.Timeline;
import io.pgops.events.replication.AgentCommandRefused;
import io.pgops.events.replication.FailoverCompleted;
import io.pgops.events.replication.FailoverRefused;
import io.pgops.events.replication.FailoverStarted;
import io.pgops.events.replication.HostFactsReported;
import io.pgops.events.replication.LeadershipChange;
import io.pgops.events.replication.LeaseAsked;
import io.pgops.events.replication.LeaseGranted;
import io.pgops.events.replication.Member;
import io.pgops.events.replication.NodeFenced;
import io.pgops.events.replication.NodePromoted;
import io.pgops.events.replication.PauseRequested;
import io.pgops.events.replication.PromoteRequested;
import io.pgops.events.replication.ReinitRequested;
import io.pgops.events.replication.ResumeRequested;
import io.pgops.events.replication.ScheduledSwitchover;
import io.pgops.events.replication.StandbyRejoined;
import io.pgops.events.replication.SwitchoverCancellationRequested;
import io.pgops.events.replication.SwitchoverRequested;
import io.pgops.events.replication.TopologyChanged;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One realistic instance of every event type, telling one story: cluster {@code orders-eu1} loses its primary
 * {@code db1}, fails over to {@code db2}, and {@code db1} rejoins by rewind. The golden files are these samples.
 */
public final class Samples {
    public static final ClusterId CLUSTER = ClusterId.of("orders-eu1");
    public static final NodeName DB1 = NodeName.of("db1");
    public static final NodeName DB2 = NodeName.of("db2");
    public static final NodeName DB3 = NodeName.of("db3");

    private static final Instant T = Instant.parse("2026-11-25T02:15:00.250Z");
    private static final Term TERM = Term.of(7);
    private static final Timeline TL3 = Timeline.of(3);
    private static final Timeline TL4 = Timeline.of(4);
    private static final String BACKUP = "20261125T021500Z-db2-physical";
    /** Yesterday's backup, older than the restore target. */
    private static final String RESTORED = "20261124T021500Z-db2-physical";

    private static final String REPO = "s3-eu-central";
    private static final String ALICE = "alice@example.com";
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static final Map<Class<? extends PgopsEvent>, PgopsEvent> ALL = build();

    private Samples() {}

    public static Map<Class<? extends PgopsEvent>, PgopsEvent> all() {
        return ALL;
    }

    public static PgopsEvent of(Class<? extends PgopsEvent> type) {
        PgopsEvent sample = ALL.get(type);
        if (sample == null) {
            throw new AssertionError("no sample for " + type.getSimpleName() + ": add one to Samples");
        }
        return sample;
    }

    private static Map<Class<? extends PgopsEvent>, PgopsEvent> build() {
        Map<Class<? extends PgopsEvent>, PgopsEvent> m = new LinkedHashMap<>();
        health(m);
        replication(m);
        backup(m);
        maintenance(m);
        audit(m);
        return m;
    }

    private static void put(Map<Class<? extends PgopsEvent>, PgopsEvent> m, PgopsEvent e) {
        m.put(e.getClass(), e);
    }

    private static void health(Map<Class<? extends PgopsEvent>, PgopsEvent> m) {
        put(
                m,
                new HealthCheckFailed(
                        CLUSTER,
                        DB1,
                        "connections-used",
                        0.955,
                        0.9,
                        "ratio",
                        "191 of 200 connections in use (max_connections=200, 3 reserved)",
                        T));
        put(
                m,
                new HealthCheckRecovered(
                        CLUSTER,
                        DB1,
                        "connections-used",
                        0.6,
                        0.9,
                        "ratio",
                        "120 of 200 connections in use",
                        T.plusSeconds(300)));
        put(
                m,
                new LagExceeded(
                        CLUSTER,
                        DB3,
                        DB1,
                        Lsn.parse("16/B374D848"),
                        Lsn.parse("16/A2000000"),
                        292_870_216L,
                        41_250L,
                        268_435_456L,
                        30_000L,
                        "replay lag 279 MiB exceeds 256 MiB; replay delay 41.3 s exceeds 30 s",
                        T));
        put(
                m,
                new SecurityFindingDetected(
                        CLUSTER,
                        DB1,
                        "hba-methods",
                        "warning",
                        "pg_hba rules accepting md5 or a clear-text password (use scram-sha-256): host all all"
                                + " 10.0.0.0/8 md5",
                        "change those rules' method to scram-sha-256 (set password_encryption = scram-sha-256 and set"
                                + " each password again first), then SELECT pg_reload_conf()",
                        T.plusSeconds(60)));
        put(
                m,
                new SecurityFindingResolved(
                        CLUSTER,
                        DB1,
                        "hba-methods",
                        "no pg_hba rule for network clients accepts md5 or a clear-text password",
                        3_600_000L,
                        T.plusSeconds(3660)));
        put(
                m,
                new LagRecovered(
                        CLUSTER,
                        DB3,
                        DB1,
                        Lsn.parse("16/C1000120"),
                        Lsn.parse("16/C1000000"),
                        288L,
                        12L,
                        268_435_456L,
                        30_000L,
                        95_000L,
                        T.plusSeconds(95)));
        put(m, new NodeUnreachable(CLUSTER, DB1, "10.20.0.11", 5432, 3, "connection refused", T.minusSeconds(6), T));
        put(m, new NodeReachable(CLUSTER, DB1, Role.PRIMARY, TL3, 420_000L, T.plusSeconds(420)));
        put(
                m,
                new PrimaryUnreachable(
                        CLUSTER, DB1, 3, "connect timeout after 2000 ms", Lsn.parse("16/D0000A28"), T.plusSeconds(1)));
    }

    private static void replication(Map<Class<? extends PgopsEvent>, PgopsEvent> m) {
        put(m, new PromoteRequested(CLUSTER, DB2, false, ALICE, "db1 host is being decommissioned", Term.of(7)));
        put(m, new ReinitRequested(CLUSTER, DB3, ALICE, "db3's disk was replaced"));
        put(m, new SwitchoverCancellationRequested(CLUSTER, ALICE, "the host maintenance was postponed"));
        put(m, new PauseRequested(CLUSTER, ALICE, "kernel upgrade on the hosts, one by one"));
        put(m, new ResumeRequested(CLUSTER, ALICE, "kernel upgrade done"));
        put(
                m,
                new SwitchoverRequested(
                        CLUSTER,
                        DB1,
                        DB2,
                        Instant.parse("2026-11-26T03:00:00Z"),
                        ALICE,
                        "kernel update on db1's host"));
        put(
                m,
                new FailoverStarted(
                        CLUSTER,
                        TERM,
                        LeadershipChange.FAILOVER,
                        DB1,
                        DB2,
                        Lsn.parse("16/D0000A28"),
                        Lsn.parse("16/D0000A28"),
                        TL3,
                        "primary db1 unreachable for 3 probes; db2 is the most caught-up synchronous standby"
                                + " (0 bytes behind)",
                        T.plusSeconds(2)));
        put(
                m,
                new NodeFenced(
                        CLUSTER,
                        TERM,
                        DB1,
                        "traffic-cut",
                        false,
                        "db1 unreachable; removed from routing and lease expired after 10 s",
                        T.plusSeconds(12)));
        put(
                m,
                new AgentCommandRefused(
                        CLUSTER,
                        DB1,
                        "promote",
                        "bad-signature",
                        "the credential's signature does not match the coordinators' key",
                        "10.0.4.17:53122",
                        3,
                        T.plusSeconds(40)));
        put(
                m,
                new HostFactsReported(
                        CLUSTER,
                        DB1,
                        16_768_397_312L,
                        8,
                        60,
                        0,
                        50,
                        "always",
                        "/var/lib/postgresql/15/main",
                        "/var/lib/postgresql",
                        "rw,relatime",
                        "ssd",
                        T.minusSeconds(60)));
        put(m, new LeaseAsked(CLUSTER, TERM, DB1, "b7e2c1d4-0a9f-4c3e-8d21-5f6a7b8c9d0e", T.minusSeconds(30)));
        put(
                m,
                new LeaseGranted(
                        CLUSTER,
                        TERM,
                        DB1,
                        "b7e2c1d4-0a9f-4c3e-8d21-5f6a7b8c9d0e",
                        3_000L,
                        "replication-a",
                        T.minusSeconds(30).plusMillis(12),
                        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJwZ29wcy1jb29yZGluYXRvciIsImF1ZCI6Im9yZGVycy9kYjEiLCJvcCI6ImxlYXNlIiwidGVybSI6N30.c2lnbmF0dXJl"));
        put(m, new NodePromoted(CLUSTER, TERM, DB2, TL3, TL4, Lsn.parse("16/D0000AA0"), 1_840L, T.plusSeconds(14)));
        put(
                m,
                new FailoverCompleted(
                        CLUSTER,
                        TERM,
                        LeadershipChange.FAILOVER,
                        DB1,
                        DB2,
                        TL4,
                        Lsn.parse("16/D0000AA0"),
                        0L,
                        12_380L,
                        "fenced db1 (traffic-cut), promoted db2, re-pointed db3",
                        T.plusSeconds(15)));
        put(
                m,
                new FailoverRefused(
                        CLUSTER,
                        TERM,
                        LeadershipChange.SWITCHOVER,
                        DB1,
                        DB3,
                        "candidate-lags",
                        "db3 lags 1.0 GiB behind db1; switchover needs it within 16 MiB",
                        T.plusSeconds(60)));
        put(
                m,
                new StandbyRejoined(
                        CLUSTER,
                        TERM,
                        DB1,
                        DB2,
                        "rewind",
                        TL4,
                        Lsn.parse("16/D0000AA0"),
                        38_500L,
                        "db1 diverged 0 bytes after the switch point; pg_rewind is enough",
                        T.plusSeconds(460)));
        put(
                m,
                new TopologyChanged(
                        CLUSTER,
                        TERM,
                        DB2,
                        DB2,
                        TL4,
                        List.of(
                                new Member(
                                        DB2,
                                        Role.PRIMARY,
                                        "10.20.0.12",
                                        5432,
                                        Lsn.parse("16/D1000148"),
                                        false,
                                        "running",
                                        TL4,
                                        0L,
                                        List.of()),
                                new Member(
                                        DB3,
                                        Role.STANDBY,
                                        "10.20.0.13",
                                        5432,
                                        Lsn.parse("16/D1000148"),
                                        true,
                                        "streaming",
                                        TL4,
                                        0L,
                                        List.of("priority=2")),
                                new Member(
                                        DB1,
                                        Role.FENCED,
                                        "10.20.0.11",
                                        5432,
                                        null,
                                        false,
                                        "stopped",
                                        null,
                                        null,
                                        List.of("nosync"))),
                        "db2 promoted; db1 fenced",
                        T.plusSeconds(15),
                        false,
                        "replication-service@6f1c2e9a",
                        new ScheduledSwitchover(
                                T.plusSeconds(86_400),
                                DB3,
                                ALICE,
                                "move the primary off db2 before its host's maintenance",
                                "0b9e7c1e-2f4a-4d59-9a51-3c3f0d6a7e21"),
                        Lsn.parse("16/D1000028")));
    }

    private static void backup(Map<Class<? extends PgopsEvent>, PgopsEvent> m) {
        put(m, new BackupRequested(CLUSTER, "physical", DB2, REPO, ALICE, "before upgrading to PostgreSQL 17"));
        put(
                m,
                new BackupStarted(
                        CLUSTER, BACKUP, "physical", DB2, REPO, TL4, Lsn.parse("16/E2000028"), T.plusSeconds(900)));
        put(
                m,
                new BackupCompleted(
                        CLUSTER,
                        BACKUP,
                        "physical",
                        DB2,
                        REPO,
                        TL4,
                        Lsn.parse("16/E2000028"),
                        Lsn.parse("16/E6000100"),
                        48_318_382_080L,
                        161_061_273_600L,
                        1_262_000L,
                        T.plusSeconds(2162)));
        put(
                m,
                new BackupFailed(
                        CLUSTER,
                        "20261124T021500Z-db3-physical",
                        "physical",
                        DB3,
                        REPO,
                        "copy",
                        "pg_basebackup: error: could not receive data from WAL stream: server closed the connection"
                                + " unexpectedly",
                        611_000L,
                        T.minusSeconds(86_400)));
        put(m, new BackupVerified(CLUSTER, BACKUP, REPO, "manifest", 48_318_382_080L, 402_000L, T.plusSeconds(2600)));
        put(
                m,
                new BackupVerificationFailed(
                        CLUSTER,
                        "20261118T021500Z-db2-physical",
                        REPO,
                        "manifest",
                        "pg_verifybackup: error: \"base/16384/2619\" has checksum mismatch",
                        388_000L,
                        T.plusSeconds(2700)));
        put(
                m,
                new RestoreRequested(
                        CLUSTER,
                        RESTORED,
                        NodeName.of("scratch1"),
                        Instant.parse("2026-11-24T14:01:59Z"),
                        null,
                        ALICE,
                        "orders table dropped by mistake yesterday at 14:02",
                        "/var/lib/pgops/restores/orders-before-drop"));
        put(
                m,
                new RestoreCompleted(
                        CLUSTER,
                        RESTORED,
                        NodeName.of("scratch1"),
                        Instant.parse("2026-11-24T14:01:59Z"),
                        null,
                        Lsn.parse("16/3A0FD2C8"),
                        Timeline.of(5),
                        1_477_431_968L,
                        1_905_000L,
                        T.plusSeconds(1905)));
        put(
                m,
                new RestoreFailed(
                        CLUSTER,
                        RESTORED,
                        NodeName.of("scratch1"),
                        "recovery",
                        "recovery ended before configured recovery target was reached",
                        1_204_000L,
                        T.plusSeconds(1204)));
        put(
                m,
                new BackupExpired(
                        CLUSTER,
                        RESTORED,
                        REPO,
                        TL3,
                        Lsn.parse("15/A2000028"),
                        Lsn.parse("15/A6000100"),
                        47_244_640_256L,
                        T.minusSeconds(84_600),
                        "older than the newest 7 backups and than 14 days",
                        T.plusSeconds(2400),
                        BackupKind.PHYSICAL));
        put(
                m,
                new WalArchiveGapDetected(
                        CLUSTER,
                        REPO,
                        TL4,
                        "0000000400000016000000E9",
                        3,
                        Lsn.parse("16/E9000000"),
                        "0000000400000016000000E8",
                        "no PITR between 02:51:10 and 02:53:40; backups before 02:51 cannot reach now; take a new base"
                                + " backup",
                        T.plusSeconds(3000)));
    }

    private static void maintenance(Map<Class<? extends PgopsEvent>, PgopsEvent> m) {
        put(
                m,
                new MaintenanceDue(
                        CLUSTER,
                        DB2,
                        "vacuum-freeze",
                        "orders.public.order_lines",
                        "age(relfrozenxid) 1.41G is 94% of autovacuum_freeze_max_age 1.5G",
                        Instant.parse("2026-11-26T00:00:00Z"),
                        T.plusSeconds(3600)));
        put(
                m,
                new MaintenanceStarted(
                        CLUSTER,
                        "mt-20261125-0042",
                        DB2,
                        "vacuum-freeze",
                        "orders.public.order_lines",
                        T.plusSeconds(3605)));
        put(
                m,
                new MaintenanceCompleted(
                        CLUSTER,
                        "mt-20261125-0042",
                        DB2,
                        "vacuum-freeze",
                        "orders.public.order_lines",
                        1_073_741_824L,
                        2_100_000L,
                        0L,
                        9_663_676_416L,
                        8_589_934_592L,
                        2_741_000L,
                        "froze 88M tuples; age(relfrozenxid) 1.41G -> 52M",
                        T.plusSeconds(6346)));
        put(
                m,
                new MaintenanceFailed(
                        CLUSTER,
                        "mt-20261125-0043",
                        DB2,
                        "reindex",
                        "orders.public.orders_pkey",
                        "canceling statement due to lock timeout",
                        30_004L,
                        T.plusSeconds(6400)));
        put(
                m,
                new MigrationRequested(
                        CLUSTER,
                        "orders",
                        "2026.11.25.1",
                        "add index orders(customer_id)",
                        SHA,
                        "deploy-bot",
                        "release 4.12 needs customer lookups"));
        put(
                m,
                new MigrationApplied(
                        CLUSTER,
                        "orders",
                        "2026.11.25.1",
                        SHA,
                        DB2,
                        Lsn.parse("17/4B001F80"),
                        84_210L,
                        T.plusSeconds(7200)));
        put(
                m,
                new MigrationFailed(
                        CLUSTER,
                        "orders",
                        "2026.11.25.2",
                        DB2,
                        "ERROR: column \"customer_id\" does not exist",
                        "42703",
                        true,
                        35L,
                        T.plusSeconds(7300)));
        put(
                m,
                new ConfigDriftDetected(
                        CLUSTER,
                        DB3,
                        "max_connections",
                        "200",
                        "100",
                        "configuration file",
                        false,
                        "hot standby needs max_connections >= the primary's 200; db3 will refuse to start after a restart",
                        T.plusSeconds(8000)));
        put(
                m,
                new RoleProvisioned(
                        CLUSTER,
                        "orders",
                        "orders_app",
                        "app",
                        "created",
                        "DML only in schema public (SELECT, INSERT, UPDATE, DELETE, sequences)",
                        "least-privilege accounts before go-live",
                        T.plusSeconds(9000)));
        put(
                m,
                new EmergencyActionRequested(
                        CLUSTER,
                        DB1,
                        "terminate-idle-in-transaction",
                        300L,
                        "orders",
                        "orders_app",
                        null,
                        List.of(),
                        List.of(48211, 48377),
                        "alice@example.com",
                        "sessions idle in transaction hold locks that block checkout"));
    }

    private static void audit(Map<Class<? extends PgopsEvent>, PgopsEvent> m) {
        put(
                m,
                new ChainCheckpointed(
                        ChainCheckpointed.SUITE,
                        48_213L,
                        "5f2d1c0e8b7a69584736251403f2e1d0c9b8a7968574635241302f1e0d1c2b3a",
                        "Ed25519",
                        "0c3b7e5d9a1f2e4d6c8b0a9f7e5d3c1b2a4f6e8d0c2b4a6f8e0d2c4b6a8f0e1d",
                        "MCowBQYDK2VwAyEA7T0wH7GkV5l0x9QhJ8m3rY2cN4bF6dS1aE9uZ0pL5kQ=",
                        "q4Zr1mN8vB2cX5zL7kJ0hG3fD6sA9pO1iU4yT7rE2wQ5tY8uI1oP3aS6dF9gH2jK5lZ8xC1vB4nM7qW0eR3tY6w==",
                        T.plusSeconds(60)));
    }
}
