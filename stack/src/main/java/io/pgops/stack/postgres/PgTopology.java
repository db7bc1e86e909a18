package io.pgops.stack.postgres;

import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import io.pgops.stack.process.Wait;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference PostgreSQL topology on loopback: a primary, a synchronous standby and an
 * asynchronous standby (physical streaming with slots, wal_log_hints for pg_rewind,
 * pg_stat_statements preloaded), and pgops' own single-node database. Building is idempotent:
 * an initialised node is only started.
 */
public final class PgTopology {
    /** The settings every node of a managed cluster shares (they travel with pg_basebackup). */
    static final String CLUSTER_CONF = String.join(
            "\n",
            "# pgops local stack",
            "wal_level = replica",
            "max_wal_senders = 10",
            "max_replication_slots = 10",
            "wal_log_hints = on",
            "hot_standby = on",
            "hot_standby_feedback = on",
            "wal_keep_size = '256MB'",
            "shared_preload_libraries = 'pg_stat_statements'",
            "password_encryption = 'scram-sha-256'",
            "shared_buffers = '64MB'",
            "max_connections = 50",
            "fsync = on");

    /**
     * pgops' own database: the audit trail appends ~1 KB per event (heap, indexes, WAL) at up to tens
     * of thousands of events a second, so it gets room to keep the trail's hot index pages cached and
     * to spread checkpoints over more WAL than the default 1 GB.
     */
    static final String PGOPS_DB_CONF = String.join(
            "\n",
            "# pgops local stack: pgops' own database",
            "shared_buffers = '256MB'",
            "max_wal_size = '4GB'",
            // the first vacuum after a burst rewrites every page of it (hint bits, visibility map);
            // flushed as it goes, those writes do not pile up in the OS and stall the WAL's fsync
            "backend_flush_after = '256kB'",
            // the WAL writer writes and flushes the WAL every 10 ms (not 200) while a large append runs,
            // on the other core: the appending backend's commit then has only the tail left to flush,
            // and the WAL writer mostly creates the new segment files
            "wal_writer_delay = '10ms'",
            "max_connections = 100",
            "password_encryption = 'scram-sha-256'");

    static final String HBA = String.join(
            "\n", "host replication replicator 127.0.0.1/32 scram-sha-256", "host all all 127.0.0.1/32 scram-sha-256");

    public static final String REPLICATION_USER = "replicator";
    public static final String PGOPS_USER = "pgops";

    private final Path base;
    private final PgBinaries bin;
    private final OsUser osUser;
    private final Secrets secrets;

    /**
     * @param base directory owned by the PostgreSQL OS user, holding every node
     * @param secrets where passwords are kept (readable by the services)
     */
    public PgTopology(Path base, PgBinaries bin, OsUser osUser, Secrets secrets) {
        this.base = base;
        this.bin = bin;
        this.osUser = osUser;
        this.secrets = secrets;
        this.ca = new ClusterCa(base.resolve("tls"), secrets.dir());
    }

    private final ClusterCa ca;

    /** The stack's CA, made on first use. */
    public ClusterCa ca() {
        return ca.ensure();
    }

    /**
     * The CA that signed the managed clusters' server certificate (every node serves TLS, {@code ssl = on}): the
     * inventory's {@code sslrootcert}, with which the services connect {@code sslmode=verify-full}.
     */
    public Path caCertificate() {
        return ca.caCertificate();
    }

    /**
     * A node's TLS: the stack's server certificate in its data directory and {@code ssl = on}, once (a node cloned
     * from one that has them has them already; a node of an older stack gets them at its next start).
     */
    private void ensureTls(PgNode node) {
        if (Files.exists(node.dataDir().resolve("server.crt"))) {
            return;
        }
        ca.ensure().install(node.dataDir(), osUser);
        node.appendConf("# pgops local stack: TLS with the stack's CA (tls/cluster-ca.crt)\nssl = on");
    }

    public PgNode node(String name, int port) {
        return new PgNode(name, base.resolve(name), socketDir(), port, bin, osUser);
    }

    private Path socketDir() {
        return base.resolve("run");
    }

    /** Names of the cluster's nodes: the first is the initial primary, the second its sync standby. */
    public record ClusterSpec(String clusterId, List<String> nodeNames, List<Integer> ports) {}

    /** Brings up (or just starts) the 3-node cluster and returns its nodes, primary first. */
    public List<PgNode> cluster(ClusterSpec spec) {
        prepareBase();
        List<PgNode> nodes = new ArrayList<>();
        for (int i = 0; i < spec.nodeNames().size(); i++) {
            nodes.add(node(spec.nodeNames().get(i), spec.ports().get(i)));
        }
        PgNode primary = nodes.getFirst();
        if (!primary.isInitialised()) {
            bootstrapPrimary(primary, nodes.subList(1, nodes.size()));
        } else {
            ensureTls(primary);
            primary.start();
        }
        for (PgNode standby : nodes.subList(1, nodes.size())) {
            if (!standby.isInitialised()) {
                standby.cloneFrom(primary, REPLICATION_USER, passFile(), slotName(standby.name()));
            }
            ensureTls(standby);
            standby.start();
        }
        // set only once the standby is attached: a name set before makes the first commit hang
        if (nodes.size() > 1
                && "primary".equals(primary.role())
                && primary.sql("SHOW synchronous_standby_names").isEmpty()) {
            primary.sql("ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (\""
                    + nodes.get(1).name() + "\")'");
            primary.sql("SELECT pg_reload_conf()");
        }
        return nodes;
    }

    private void bootstrapPrimary(PgNode primary, List<PgNode> standbys) {
        primary.initdb(superuserPasswordFile());
        primary.appendConf(CLUSTER_CONF);
        primary.appendHba(HBA);
        ensureTls(primary);
        primary.start();
        primary.sql("CREATE ROLE " + REPLICATION_USER + " WITH REPLICATION LOGIN PASSWORD '"
                + secrets.password(REPLICATION_USER) + "'");
        // the agents will promote, rewind and manage slots, hence superuser on the managed cluster
        primary.sql(
                "CREATE ROLE " + PGOPS_USER + " WITH SUPERUSER LOGIN PASSWORD '" + secrets.password(PGOPS_USER) + "'");
        primary.sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        for (PgNode standby : standbys) {
            primary.sql("SELECT pg_create_physical_replication_slot('" + slotName(standby.name()) + "')");
        }
    }

    /** pgops' own database (the audit trail lives here, never in a managed cluster). */
    public PgNode pgopsDatabase(String name, int port) {
        prepareBase();
        PgNode db = node(name, port);
        if (!db.isInitialised()) {
            db.initdb(superuserPasswordFile());
            db.appendConf(PGOPS_DB_CONF);
            db.appendHba("host all all 127.0.0.1/32 scram-sha-256");
            ensureTls(db);
            db.start();
            db.sql("CREATE ROLE " + PGOPS_USER + " WITH LOGIN CREATEDB PASSWORD '" + secrets.password("pgops-db")
                    + "'");
            db.sql("CREATE DATABASE pgops OWNER " + PGOPS_USER);
        } else {
            ensureTls(db);
            db.start();
        }
        return db;
    }

    /** The replication slot of a standby: its node name where slot names allow only [a-z0-9_]. */
    public static String slotName(String node) {
        return node.replaceAll("[^a-z0-9_]", "_");
    }

    /**
     * Waits until the primary reports every standby streaming, the first one as 'sync'. Other WAL receivers (the
     * backup-service's pg_receivewal, a pg_basebackup) are not standbys and are not counted.
     */
    public static void awaitReplication(PgNode primary, List<PgNode> standbys, Duration timeout) {
        String sync = standbys.getFirst().name();
        List<String> names = standbys.stream().map(PgNode::name).toList();
        Wait.until(
                "pg_stat_replication on " + primary.name() + " to show " + standbys.size() + " streaming standbys with "
                        + sync + " as sync",
                timeout,
                () -> {
                    String rows = primary.sql("SELECT application_name || ':' || sync_state FROM pg_stat_replication"
                            + " WHERE state = 'streaming' ORDER BY 1");
                    List<String> lines = rows.isEmpty() ? List.of() : List.of(rows.split("\n"));
                    long streaming = lines.stream()
                            .filter(l -> names.contains(l.substring(0, l.lastIndexOf(':'))))
                            .count();
                    return streaming == standbys.size() && lines.contains(sync + ":sync");
                });
    }

    private void prepareBase() {
        try {
            Files.createDirectories(socketDir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + base, e);
        }
        osUser.own(base);
        superuserPasswordFile();
        passFile();
    }

    private Path superuserPasswordFile() {
        Path f = base.resolve(".superuser.pw");
        if (!Files.exists(f)) {
            Secrets.writePrivate(f, secrets.password("postgres") + "\n");
            osUser.own(f);
        }
        return f;
    }

    /** libpq password file for the replication user, owned by the PostgreSQL OS user. */
    private Path passFile() {
        Path f = base.resolve(".pgpass");
        if (!Files.exists(f)) {
            Secrets.writePrivate(
                    f, "127.0.0.1:*:*:" + REPLICATION_USER + ":" + secrets.password(REPLICATION_USER) + "\n");
            osUser.own(f);
        }
        return f;
    }
}
