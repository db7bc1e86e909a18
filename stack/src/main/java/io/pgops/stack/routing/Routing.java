package io.pgops.stack.routing;

import io.pgops.pgtools.OsUser;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The front door of a cluster, as the reference architecture puts it: HAProxy with a write port
 * (servers checked on their agent's {@code /primary}) and a read port ({@code /replica}), sessions
 * shut on a server marked down, and PgBouncer in front of the write port as the application's one
 * entry point. Writes the configuration files and gives the command lines.
 *
 * @param dir where the configuration, pid and log files go
 * @param writePort HAProxy's port for writes (to the primary)
 * @param readPort HAProxy's port for reads (round robin over streaming standbys)
 * @param bouncerPort PgBouncer's port (in front of the write port)
 */
public record Routing(Path dir, int writePort, int readPort, int bouncerPort) {

    /**
     * A PostgreSQL node and the port of the agent beside it; {@code agentCa} the CA its agent's HTTPS is checked
     * against (null: the agent serves HTTP).
     */
    public record Backend(PgNode node, int agentPort, Path agentCa) {
        public Backend(PgNode node, int agentPort) {
            this(node, agentPort, null);
        }
    }

    /** Interval of HAProxy's checks; with fall 2 a dead primary is out within about a second. */
    static final String CHECK_INTERVAL = "500ms";

    public static Optional<Path> haproxyBinary() {
        return binary("haproxy");
    }

    public static Optional<Path> pgbouncerBinary() {
        return binary("pgbouncer");
    }

    private static Optional<Path> binary(String name) {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public String haproxyConfig(List<Backend> backends) {
        StringBuilder sb = new StringBuilder();
        sb.append("# pgops local stack: writes follow /primary, reads follow /replica\n");
        sb.append("global\n  maxconn 500\n\n");
        sb.append("defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 30m\n  timeout server 30m\n");
        // a connection that finds no server up waits in the queue for the next one (a new primary is checked
        // every 200 ms) instead of being refused; one that fails on a server marks it down at once (below) and
        // is re-dispatched, instead of being retried on the dead server after a 1 s turn-around each time
        // an agent that does not answer a check within 400 ms (paused, its host frozen) counts as down: with fall 2
        // it is out within about 1.5 s, and its sessions are shut
        sb.append("  timeout check 400ms\n  timeout queue 5s\n  retries 2\n  option redispatch\n\n");
        listen(sb, "write", writePort, "/primary", backends, "first");
        listen(sb, "read", readPort, "/replica", backends, "roundrobin");
        return sb.toString();
    }

    private static void listen(
            StringBuilder sb, String name, int port, String check, List<Backend> backends, String balance) {
        sb.append("listen ").append(name).append('\n');
        sb.append("  bind 127.0.0.1:").append(port).append('\n');
        sb.append("  balance ").append(balance).append('\n');
        sb.append("  option httpchk\n");
        sb.append("  http-check send meth GET uri ").append(check).append('\n');
        sb.append("  http-check expect status 200\n");
        sb.append("  default-server inter ")
                .append(CHECK_INTERVAL)
                // a server in transition or down is checked every 200 ms: a new primary gets writes sooner
                .append(" fastinter 200ms downinter 200ms fall 2 rise 1 on-marked-down shutdown-sessions")
                // passive check: a refused connection (the primary's PostgreSQL died) marks the server down
                // at once, not after two failed checks
                .append(" observe layer4 error-limit 1 on-error mark-down\n");
        for (Backend b : backends) {
            sb.append("  server ")
                    .append(b.node().name())
                    .append(" 127.0.0.1:")
                    .append(b.node().port())
                    .append(" check port ")
                    .append(b.agentPort());
            if (b.agentCa() != null) {
                // the check (only) over TLS: the agent's certificate verified against the CA and its name
                sb.append(" check-ssl verify required ca-file ")
                        .append(b.agentCa())
                        .append(" verifyhost localhost");
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    public List<String> haproxyCommand() {
        return List.of(
                haproxyBinary()
                        .orElseThrow(() -> new IllegalStateException(
                                "haproxy not found: run `apt-get install -y haproxy` as root"))
                        .toString(),
                "-db",
                "-f",
                dir.resolve("haproxy.cfg").toString());
    }

    /** Writes haproxy.cfg, pgbouncer.ini and its auth file (mode 600) and hands the dir to {@code user}. */
    public void writeConfig(List<Backend> backends, String user, String password, OsUser osUser) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("haproxy.cfg"), haproxyConfig(backends));
            Files.writeString(dir.resolve("pgbouncer.ini"), pgbouncerIni(user));
            Secrets.writePrivate(dir.resolve("userlist.txt"), "\"" + user + "\" \"" + password + "\"\n");
            osUser.own(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write routing configuration in " + dir, e);
        }
    }

    String pgbouncerIni(String adminUser) {
        return String.join(
                "\n",
                "; pgops local stack: the application's one entry point, in front of HAProxy's write port",
                "[databases]",
                "* = host=127.0.0.1 port=" + writePort,
                "",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + bouncerPort,
                "unix_socket_dir =",
                "auth_type = scram-sha-256",
                "auth_file = " + dir.resolve("userlist.txt"),
                "admin_users = " + adminUser,
                "pool_mode = transaction",
                "max_client_conn = 200",
                "default_pool_size = 20",
                "server_connect_timeout = 3",
                "server_login_retry = 0.2",
                "server_check_delay = 0",
                "ignore_startup_parameters = extra_float_digits",
                "pidfile = " + dir.resolve("pgbouncer.pid"),
                "logfile = " + dir.resolve("pgbouncer.log"),
                "");
    }

    /** PgBouncer refuses to run as root: as root it runs as the PostgreSQL account. */
    public List<String> pgbouncerCommand(OsUser osUser) {
        List<String> argv = new ArrayList<>();
        if (osUser.switchNeeded()) {
            argv.addAll(List.of("runuser", "-u", osUser.name(), "--"));
        }
        argv.add(pgbouncerBinary()
                .orElseThrow(() ->
                        new IllegalStateException("pgbouncer not found: run `apt-get install -y pgbouncer` as root"))
                .toString());
        argv.add(dir.resolve("pgbouncer.ini").toString());
        return argv;
    }
}
