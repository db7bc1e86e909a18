package io.pgops.replication.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.events.EventEnvelope;
import io.pgops.events.Topics;
import io.pgops.stack.auth.Tokens;
import io.pgops.stack.postgres.PgNode;
import io.pgops.stack.postgres.PgTopology;
import io.pgops.stack.testkit.FrontDoor;
import io.pgops.stack.testkit.KafkaTap;
import io.pgops.stack.testkit.TestStack;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of its own with its front door (an agent per node, HAProxy, PgBouncer) and coordinators,
 * all real processes, plus what the replication ITs need: REST calls, topology reads, and a writer
 * that commits through PgBouncer and records every acknowledged row and its longest pause.
 */
final class ReplicationHarness {
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    /** One multiplier for slow machines ({@code -Dpgops.test.slowness=2}), as in the system tests. */
    static final double SLOW = Double.parseDouble(System.getProperty("pgops.test.slowness", "1"));

    static final Duration SETTLE = scaled(Duration.ofSeconds(90));
    /** Trusts the stack's CA only: the coordinators serve HTTP, the agents of an HTTPS cluster the stack's certificate. */
    private static final HttpClient HTTP =
            io.pgops.stack.Http.trusting(TestStack.get().caCertificate());

    final TestStack stack = TestStack.get();
    final String cluster;
    final List<PgNode> nodes;
    final FrontDoor door;
    final List<String> coordinators = new ArrayList<>();
    final List<String> coordinatorNames = new ArrayList<>();

    ReplicationHarness(String cluster, int coordinatorCount) {
        this(cluster, coordinatorCount, java.util.Map.of());
    }

    /** @param coordinatorConfig extra settings of the coordinators, e.g. inventory tags */
    ReplicationHarness(String cluster, int coordinatorCount, java.util.Map<String, String> coordinatorConfig) {
        this(cluster, coordinatorCount, i -> coordinatorConfig);
    }

    /** @param configOf extra settings of coordinator {@code i} (1-based) */
    ReplicationHarness(
            String cluster,
            int coordinatorCount,
            java.util.function.IntFunction<java.util.Map<String, String>> configOf) {
        this(cluster, coordinatorCount, configOf, 0);
    }

    /**
     * @param isolable the node (1-based; 0: none) whose agent reaches Kafka and its peers only through relays a
     *     test cuts with {@code stack.isolation(cluster)}
     */
    ReplicationHarness(
            String cluster,
            int coordinatorCount,
            java.util.function.IntFunction<java.util.Map<String, String>> configOf,
            int isolable) {
        this(cluster, coordinatorCount, configOf, isolable, false);
    }

    /** @param https the agents serve HTTPS only, HAProxy checks them over TLS ({@code TestStack.frontDoor}) */
    ReplicationHarness(
            String cluster,
            int coordinatorCount,
            java.util.function.IntFunction<java.util.Map<String, String>> configOf,
            int isolable,
            boolean https) {
        this.cluster = cluster;
        long t0 = System.nanoTime();
        this.nodes = stack.newCluster(cluster);
        long t1 = System.nanoTime();
        this.door = stack.frontDoor(
                cluster, nodes, isolable == 0 ? null : nodes.get(isolable - 1).name(), https);
        long t2 = System.nanoTime();
        List<java.util.Map<String, String>> configs = new ArrayList<>();
        for (int i = 1; i <= coordinatorCount; i++) {
            coordinatorNames.add("coordinator-" + cluster + "-" + i);
            configs.add(configOf.apply(i));
        }
        coordinators.addAll(stack.startCoordinators(coordinatorNames, cluster, nodes, configs));
        long t3 = System.nanoTime();
        await("a committed topology of " + cluster)
                .atMost(SETTLE)
                .until(() -> topology().map(t -> t.path("term").asLong() > 0).orElse(false));
        long t4 = System.nanoTime();
        System.out.printf(
                "cluster %s built in %.1f s: PostgreSQL %.1f s, agents and front door %.1f s, %d coordinator(s) %.1f"
                        + " s, first topology %.1f s%n",
                cluster,
                (t4 - t0) / 1e9,
                (t1 - t0) / 1e9,
                (t2 - t1) / 1e9,
                coordinatorCount,
                (t3 - t2) / 1e9,
                (t4 - t3) / 1e9);
    }

    /**
     * Stops this cluster's coordinators, agents and PostgreSQL nodes (SIGKILL / immediate), so a test that
     * builds several clusters in turn does not run the later ones on a machine loaded by the earlier.
     */
    /**
     * Prints the last {@code lines} lines of this cluster's coordinators', agents' and PostgreSQL nodes' logs:
     * what a failed wait shows before the test stack deletes its directory.
     */
    void printLogs(int lines) {
        for (String c : coordinatorNames) {
            System.out.println("==== " + c + " ====\n" + logTail(c, lines));
        }
        door.agentNames()
                .forEach((node, agent) ->
                        System.out.println("==== " + agent + " (" + node + ") ====\n" + logTail(agent, lines)));
        for (PgNode n : nodes) {
            System.out.println("==== " + n.name() + " (PostgreSQL) ====\n"
                    + io.pgops.stack.process.Daemons.tail(n.logFile(), lines));
        }
    }

    /** This cluster's replication events so far, oldest first. */
    List<EventEnvelope> events() {
        return KafkaTap.events(stack.kafkaBootstrap(), Topics.REPLICATION_EVENTS).stream()
                .filter(e -> e.subject().value().equals(cluster))
                .toList();
    }

    /** This cluster's events of that type so far, oldest first. */
    <T> List<T> events(Class<T> type) {
        return events().stream()
                .map(EventEnvelope::data)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    /** This cluster's latest event of that type, or null. */
    <T> T last(Class<T> type) {
        List<T> all = events(type);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The correlation id of this cluster's latest event of that type. */
    String lastCorrelation(Class<?> type) {
        return events().stream()
                .filter(e -> type.isInstance(e.data()))
                .map(EventEnvelope::correlationId)
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    void release() {
        for (String n : coordinatorNames) {
            if (stack.isAlive(n)) {
                stack.killService(n);
            }
        }
        for (String n : door.agentNames().values()) {
            if (stack.isAlive(n)) {
                stack.killService(n);
            }
        }
        for (PgNode n : nodes) {
            if (n.isRunning()) {
                n.stop("immediate");
            }
        }
    }

    /** The last lines of a service's log, for a failure message. */
    String logTail(String service, int lines) {
        try {
            List<String> all = java.nio.file.Files.readAllLines(stack.dir().resolve(service + ".log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The last lines of a service's log that pgops' own code wrote (not the Kafka client's), for a failure message. */
    String ownLogTail(String service, int lines) {
        try {
            List<String> all = java.nio.file.Files.readAllLines(stack.dir().resolve(service + ".log")).stream()
                    .filter(l -> l.contains("[io.pgops."))
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    static Duration scaled(Duration d) {
        return Duration.ofMillis((long) (d.toMillis() * SLOW));
    }

    /** The index (0-based) of the coordinator that lists this cluster among its own, or -1. */
    int owner() {
        for (int i = 0; i < coordinators.size(); i++) {
            try {
                JsonNode c = json(get(coordinators.get(i) + "/coordinator"));
                for (JsonNode id : c.path("clusters")) {
                    if (cluster.equals(id.asText())) {
                        return i;
                    }
                }
            } catch (RuntimeException e) {
                // that coordinator is down
            }
        }
        return -1;
    }

    /**
     * Waits until every coordinator has joined the group (holds a partition of the commands topic, so no
     * later join can move the cluster's partition) and exactly one owns the cluster; its index.
     */
    int awaitOwner() {
        int[] o = new int[1];
        await("every coordinator of " + cluster + " to hold partitions and one to own the cluster")
                .atMost(scaled(Duration.ofSeconds(60)))
                .until(() -> allJoined() && (o[0] = owner()) >= 0);
        return o[0];
    }

    private boolean allJoined() {
        for (String c : coordinators) {
            try {
                if (json(get(c + "/coordinator")).path("assignedPartitions").asInt() <= 0) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    String instanceOf(int coordinator) {
        return json(get(coordinators.get(coordinator) + "/coordinator"))
                .path("instance")
                .asText();
    }

    PgNode node(int i) {
        return nodes.get(i - 1);
    }

    String name(int i) {
        return node(i).name();
    }

    String api() {
        return coordinators.getFirst();
    }

    String agent(int i) {
        return door.agentUrls().get(name(i));
    }

    java.util.Optional<JsonNode> topology() {
        for (String c : coordinators) {
            try {
                HttpResponse<String> r = get(c + "/clusters/" + cluster + "/topology");
                if (r.statusCode() == 200) {
                    return java.util.Optional.of(JSON.readTree(r.body()));
                }
            } catch (IOException | RuntimeException e) {
                // that coordinator is down: ask the next
            }
        }
        return java.util.Optional.empty();
    }

    long term() {
        return topology().orElseThrow().path("term").asLong();
    }

    /**
     * The topology settled on {@code primary}: target and current primary, every other node streaming
     * but those named {@code away} (a node left without its agent).
     */
    void awaitSettledOn(String primary, String... away) {
        Set<String> skip = Set.of(away);
        java.util.concurrent.atomic.AtomicReference<String> seen = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            await("topology of " + cluster + " settled on " + primary)
                    .atMost(SETTLE)
                    .until(() -> topology()
                            .map(t -> {
                                seen.set(t.path("members").toString());
                                return primary.equals(t.path("targetPrimary").asText())
                                        && primary.equals(
                                                t.path("currentPrimary").asText())
                                        && streamingOthers(t, primary, skip);
                            })
                            .orElse(false));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // what the topology last said and what the deciding coordinator was doing, for the failure's reader
            String owner = coordinatorNames.isEmpty() ? null : coordinatorNames.get(Math.max(0, owner()));
            StringBuilder pgLogs = new StringBuilder();
            for (PgNode n : nodes) {
                if (!n.name().equals(primary)) {
                    pgLogs.append("\n").append(n.name()).append("'s PostgreSQL log:\n");
                    try {
                        // the refusals of clients while it starts up say nothing: the lines around them do
                        List<String> all = java.nio.file.Files.readAllLines(n.logFile()).stream()
                                .filter(l -> !l.contains("the database system is starting up"))
                                .toList();
                        pgLogs.append(String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size())));
                    } catch (IOException | RuntimeException ex) {
                        pgLogs.append("(unreadable: ").append(ex).append(")");
                    }
                }
            }
            throw new AssertionError(
                    e.getMessage() + "\nlast members: " + seen.get()
                            + (owner == null ? "" : "\n" + owner + ":\n" + logTail(owner, 30)) + pgLogs,
                    e);
        }
    }

    private boolean streamingOthers(JsonNode t, String primary, Set<String> skip) {
        for (JsonNode m : t.path("members")) {
            String name = m.path("name").asText();
            if (!name.equals(primary)
                    && !skip.contains(name)
                    && !"streaming".equals(m.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The standbys the primary reports streaming, by application_name. */
    static Set<String> streamingFrom(PgNode primary) {
        String out = primary.sql(
                "SELECT coalesce(string_agg(application_name, ','), '') FROM pg_stat_replication WHERE state = 'streaming'");
        return out.isBlank() ? Set.of() : Set.of(out.split(","));
    }

    /** A GET as a viewer (the agents' own checks ignore the token). */
    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", TestStack.bearer(Tokens.VIEWER))
                .GET()
                .build());
    }

    /**
     * A POST as {@code principal} (an admin: every command is allowed, forced promotion and reinit too; the
     * authorization rules have their own tests), or {@code pgops-admin@local} when null.
     */
    static HttpResponse<String> post(String url, String json, String principal) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(150))
                .header("Content-Type", "application/json")
                .header("Authorization", adminBearer(principal))
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** A POST of an agent operation with {@code credential} (none when null) in the coordinator's header. */
    static HttpResponse<String> postToAgent(String url, String json, String credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (credential != null) {
            b.header(io.pgops.replication.domain.AgentCredential.HEADER, credential);
        }
        return send(b.build());
    }

    /** The report of {@code node}'s agent at {@code agentUrl}, asked with a coordinator's credential. */
    HttpResponse<String> agentStatus(String agentUrl, String node) {
        return send(HttpRequest.newBuilder(URI.create(agentUrl + "/agent/status"))
                .timeout(Duration.ofSeconds(10))
                .header(io.pgops.replication.domain.AgentCredential.HEADER, AgentCredentials.forStatus(cluster, node))
                .GET()
                .build());
    }

    static HttpResponse<String> delete(String url, String principal) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", adminBearer(principal))
                .DELETE()
                .build());
    }

    private static String adminBearer(String principal) {
        Tokens tokens = TestStack.get().tokens();
        return principal == null
                ? tokens.bearer(Tokens.ADMIN)
                : "Bearer " + tokens.mint(principal, List.of(Tokens.ADMIN), Duration.ofHours(1));
    }

    private static HttpResponse<String> send(HttpRequest r) {
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(r.uri() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + r.body(), e);
        }
    }

    /**
     * Commits one row at a time through PgBouncer, as an application would with one connection string;
     * on an error it retries the next id after 20 ms. Records the ids whose commit was acknowledged and
     * the longest time between two acknowledged commits.
     */
    final class Writer implements AutoCloseable {
        final Set<Long> acked = ConcurrentHashMap.newKeySet();
        private final String table;
        private final Vertx vertx = Vertx.vertx();
        private final Pool pool;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile long lastAck = System.nanoTime();
        private volatile long longestPauseNanos;
        private volatile int errors;

        /** When each acknowledged id was acknowledged (System.nanoTime). */
        final Map<Long, Long> ackedAt = new java.util.concurrent.ConcurrentHashMap<>();

        Writer(String table) {
            this(table, door.routing().bouncerPort(), 0);
        }

        /** The table it writes to. */
        String table() {
            return table;
        }

        /**
         * A writer on {@code port} (the front door's PgBouncer, or one node's own port, as an application that
         * bypasses the front door would), its ids starting after {@code firstId}.
         */
        Writer(String table, int port, long firstId) {
            this.table = table;
            nodes.stream()
                    .filter(n -> n.isRunning() && "primary".equals(n.role()))
                    .findFirst()
                    .orElse(nodes.getFirst())
                    .sql("CREATE TABLE IF NOT EXISTS " + table
                            + " (id bigint PRIMARY KEY, at timestamptz DEFAULT now())");
            PgConnectOptions o = new PgConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setDatabase("postgres")
                    .setUser(PgTopology.PGOPS_USER)
                    .setPassword(stack.secrets().password(PgTopology.PGOPS_USER))
                    .setConnectTimeout(2000)
                    .setCachePreparedStatements(false);
            pool = PgBuilder.pool()
                    .with(new PoolOptions().setMaxSize(1))
                    .connectingTo(o)
                    .using(vertx)
                    .build();
            thread = new Thread(
                    () -> {
                        long id = firstId;
                        while (running) {
                            id++;
                            try {
                                pool.query("INSERT INTO " + table + " (id) VALUES (" + id + ")")
                                        .execute()
                                        .toCompletionStage()
                                        .toCompletableFuture()
                                        .get(5, TimeUnit.SECONDS);
                                long now = System.nanoTime();
                                longestPauseNanos = Math.max(longestPauseNanos, now - lastAck);
                                lastAck = now;
                                acked.add(id);
                                ackedAt.put(id, now);
                            } catch (Exception e) {
                                errors++;
                                try {
                                    Thread.sleep(20);
                                } catch (InterruptedException ie) {
                                    return;
                                }
                            }
                        }
                    },
                    "writer-" + table);
            thread.start();
        }

        /** Resets the pause measurement (call once the writer runs steadily). */
        void resetPause() {
            lastAck = System.nanoTime();
            longestPauseNanos = 0;
        }

        /** When the last commit was acknowledged (System.nanoTime). */
        long lastAckNanos() {
            return lastAck;
        }

        long longestPauseMillis() {
            return longestPauseNanos / 1_000_000;
        }

        int errors() {
            return errors;
        }

        void awaitAcked(int n) {
            int base = acked.size();
            await("the writer to commit " + n + " more rows").atMost(SETTLE).until(() -> acked.size() >= base + n);
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pool.close();
            vertx.close();
        }
    }

    /** Acknowledged ids missing from {@code table} on {@code node}. */
    static List<Long> missing(PgNode node, String table, Set<Long> acked) {
        String all = node.sql("SELECT coalesce(string_agg(id::text, ','), '') FROM " + table);
        Set<Long> present = new java.util.HashSet<>();
        if (!all.isBlank()) {
            for (String s : all.split(",")) {
                present.add(Long.parseLong(s));
            }
        }
        return acked.stream().filter(id -> !present.contains(id)).sorted().toList();
    }
}
