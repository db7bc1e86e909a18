package io.pgops.backup.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.Compression;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.backup.domain.S3Location;
import io.pgops.backup.domain.Verification;
import io.pgops.backup.service.BackupEngine;
import io.pgops.backup.service.BackupFailure;
import io.pgops.backup.service.Backups;
import io.pgops.backup.service.BaseBackup;
import io.pgops.backup.service.CatalogueJson;
import io.pgops.backup.service.ChunkedGcm;
import io.pgops.backup.service.EncryptionKey;
import io.pgops.backup.service.S3Backups;
import io.pgops.backup.service.Source;
import io.pgops.backup.service.Verifier;
import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import io.pgops.pgtools.OsUser;
import io.pgops.pgtools.PgBinaries;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/pgops backup …}: the backup service's engine for operators without the services (cron at night, a
 * terminal at 3 a.m.). Progress goes to stderr; the last line on stdout is one JSON object with the figures.
 * Exit 0 on success, 1 when the backup or its verification failed (the tool's last lines on stderr), 2 on bad
 * usage. The password comes from {@code PGPASSWORD}, {@code --password-file} or libpq's {@code ~/.pgpass}, never
 * from the command line.
 */
public final class BackupCli {
    static final String USAGE = String.join(
            "\n",
            "usage: bin/pgops backup take --host H --port P --user U --repo DIR [--compress zstd|lz4|gzip|none]",
            "                             [--compress-workers N (zstd threads on the source server; 1)]",
            "                             [--cluster ID] [--node NAME] [--fast-checkpoint] [--password-file F]",
            "                             [--no-verify] [--drill]",
            "       bin/pgops backup list --repo DIR [--cluster ID]",
            "       bin/pgops backup verify --repo DIR [--cluster ID] [--id ID] [--drill --user U]",
            "       bin/pgops backup restore --repo DIR --to PGDATA [--cluster ID] [--id ID]",
            "                             [--target-time T | --target-lsn L | --target-xid X | --target-name N]",
            "                             [--exclusive] [--start --port P]",
            "       bin/pgops backup wal-check --repo DIR [--cluster ID] [--wal-segment-size BYTES]",
            "       bin/pgops backup decrypt --in FILE --out FILE --encryption-key file:/path | env:NAME",
            "  take     a full physical backup (pg_basebackup, tar + manifest, WAL streamed), verified by default",
            "  list     the repository's catalogue, one JSON line per backup",
            "  verify   pg_verifybackup on an unpacked copy (default: the newest backup); --drill also starts it",
            "  restore  point-in-time restore into a new data directory: the newest backup before the target plus",
            "           the WAL archive (no target: all of it), then promote; --start starts it and waits for that",
            "  wal-check  the WAL archive's range per timeline and its gaps (exit 1 when there is a gap)",
            "  decrypt  one file pgops stored encrypted (a logical dump of a service with an encryption key) back",
            "           to plain, for pg_restore; a wrong key or an altered byte exits 1 and leaves no output file",
            "  password: PGPASSWORD, --password-file F, or ~/.pgpass; never on the command line",
            "  --repo s3://BUCKET/PREFIX: an S3-compatible repository for take, list, verify and restore, with",
            "           [--s3-endpoint URL] [--s3-path-style] [--s3-region R] [--s3-credentials-file F]",
            "           [--s3-part-size-mib N (16)] [--s3-parallel N (4)] [--staging DIR]; credentials from F",
            "           (access-key-id=, secret-access-key=) or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY;",
            "           [--encryption-key file:/path | env:NAME] encrypts what is uploaded (AES-256-GCM, 32-byte key,",
            "           raw or base64) and decrypts on download; the key's id is recorded in the catalogue",
            "  --repo DIR --encryption-key file:/path | env:NAME: the same encryption for a filesystem repository",
            "           (taken and verified in --staging DIR, stored encrypted; verify and restore decrypt there first)");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    BackupCli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        // the AWS SDK logs through SLF4J, whose JBoss binding needs the Quarkus runtime the command line does not
        // start:
        // without this every S3 command would open with SLF4J's complaints on stderr
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.internal.verbosity", "WARN");
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        }
        System.exit(new BackupCli(System.out, System.err, System.getenv()).run(List.of(args)));
    }

    /** Bad usage: said on stderr, exit 2. */
    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    int run(List<String> args) {
        try {
            if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.getFirst())) {
                err.println(USAGE);
                return args.isEmpty() ? 2 : 0;
            }
            Map<String, String> opts = options(args.subList(1, args.size()));
            return switch (args.getFirst()) {
                case "take" -> take(opts);
                case "list" -> list(opts);
                case "verify" -> verify(opts);
                case "restore" -> new WalCommands(err, this::json).restore(() -> engine(opts), opts);
                case "wal-check" -> new WalCommands(err, this::json).walCheck(() -> filesystem(opts), opts);
                case "decrypt" -> decrypt(opts);
                default -> throw new Usage("unknown command '" + args.getFirst() + "'");
            };
        } catch (Usage e) {
            err.println("pgops backup: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (RuntimeException e) {
            err.println("pgops backup: " + e.getMessage());
            return 1;
        }
    }

    private int take(Map<String, String> o) {
        String host = required(o, "host");
        int port = parsePort(required(o, "port"));
        String user = required(o, "user");
        ClusterId cluster = ClusterId.of(o.getOrDefault("cluster", "default"));
        NodeName node = NodeName.of(o.getOrDefault(
                "node", (host + "-" + port).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-")));
        Compression compression = Compression.of(o.getOrDefault("compress", "zstd"));
        Backups engine = engine(o);
        Source src = new Source(cluster, node, host, port, user, password(o));
        BackupId id = BackupId.at(Instant.now(), node);
        boolean verify = !o.containsKey("no-verify");
        err.printf(
                "pgops backup: taking %s of %s:%d into %s%s%n",
                id,
                host,
                port,
                engine.repository().location(),
                verify ? " (verified" + (o.containsKey("drill") ? " with a restore drill" : "") + ")" : "");
        Backups.Taken taken;
        try {
            BaseBackup.Identity who = engine.identify(src);
            taken = engine.take(
                    src, id, compression, o.containsKey("fast-checkpoint"), who, verify, o.containsKey("drill"), user);
        } catch (BackupFailure f) {
            err.println("pgops backup: failed at " + f.stage() + ": " + f.getMessage());
            if (!f.toolOutput().isBlank()) {
                err.println(f.toolOutput());
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("result", "failed");
            line.put("id", id.value());
            line.put("stage", f.stage());
            line.put("error", f.error());
            json(line);
            return 1;
        }
        CatalogueEntry entry = taken.entry();
        err.printf(
                "pgops backup: stored %s (%d bytes from %d) in %.1f s%n",
                id, entry.storedBytes(), entry.rawBytes(), entry.durationMillis() / 1000.0);
        json(figures("completed", entry));
        return entry.verification().failed() ? 1 : 0;
    }

    private int list(Map<String, String> o) {
        Backups engine = engine(o);
        List<CatalogueEntry> entries = o.containsKey("cluster")
                ? engine.repository().list(ClusterId.of(o.get("cluster")))
                : engine.repository().listAll();
        for (CatalogueEntry e : entries) {
            json(figures("listed", e));
        }
        err.println("pgops backup: " + entries.size() + " backup(s) in "
                + engine.repository().location());
        return 0;
    }

    private int verify(Map<String, String> o) {
        Backups engine = engine(o);
        List<CatalogueEntry> entries = o.containsKey("cluster")
                ? engine.repository().list(ClusterId.of(o.get("cluster")))
                : engine.repository().listAll();
        Optional<CatalogueEntry> chosen = o.containsKey("id")
                ? entries.stream()
                        .filter(e -> e.id().value().equals(o.get("id")))
                        .findFirst()
                : entries.stream().max(Comparator.comparing(CatalogueEntry::id));
        if (chosen.isEmpty()) {
            err.println("pgops backup: no backup " + o.getOrDefault("id", "") + " in "
                    + engine.repository().location());
            return 1;
        }
        boolean drill = o.containsKey("drill");
        if (drill && !o.containsKey("user")) {
            throw new Usage("--drill needs --user: a role of the backed-up cluster that may log in");
        }
        err.println("pgops backup: verifying " + chosen.get().id() + (drill ? " (with a restore drill)" : ""));
        Verifier.Outcome v;
        try {
            v = engine.verify(chosen.get(), drill, o.get("user"));
        } catch (BackupFailure f) {
            err.println("pgops backup: verification failed at " + f.stage() + ": " + f.getMessage());
            return 1;
        }
        Verification last = v.last();
        if (last.failed()) {
            err.println("pgops backup: verification failed: " + last.detail());
        }
        json(figures(
                last.failed() ? "verification-failed" : "verified", chosen.get().withVerification(last)));
        return last.failed() ? 1 : 0;
    }

    private static Map<String, Object> figures(String result, CatalogueEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", result);
        m.put("id", e.id().value());
        m.put("cluster", e.cluster().value());
        m.put("node", e.node().value());
        m.put("startLsn", e.startLsn().format());
        m.put("stopLsn", e.stopLsn().format());
        m.put("timeline", e.timeline().value());
        m.put("rawBytes", e.rawBytes());
        m.put("storedBytes", e.storedBytes());
        m.put("seconds", e.durationMillis() / 1000.0);
        m.put("compression", e.compression());
        if (e.encrypted()) {
            m.put("encryptionKeyId", e.encryptionKeyId());
        }
        Verification v = e.verification();
        m.put("verification", v.state());
        if (v.method() != null) {
            m.put("verificationMethod", v.method());
        }
        if (v.failed()) {
            m.put("verificationError", v.detail());
            m.put("badFile", v.badFile());
        }
        if ("restore".equals(v.method()) && !v.failed()) {
            m.put("restoreSeconds", v.restoreMillis() / 1000.0);
            m.put("rowCounts", v.rowCounts());
        }
        return m;
    }

    /** {@code decrypt}: the plain file (mode 600, never over an existing one), or nothing. */
    private int decrypt(Map<String, String> o) {
        Path in = Path.of(required(o, "in"));
        Path out = Path.of(required(o, "out"));
        EncryptionKey key =
                S3Options.key(o, env, Usage::new).orElseThrow(() -> new Usage("decrypt needs --encryption-key"));
        if (!Files.isRegularFile(in)) {
            throw new Usage("--in: " + in + " is not a file");
        }
        if (Files.exists(out)) {
            throw new Usage("--out: " + out + " exists; decrypt writes a new file only");
        }
        long t0 = System.nanoTime();
        try {
            ChunkedGcm.decryptFile(in, out, key);
        } catch (IOException e) {
            err.println("pgops backup: " + in + " not decrypted: " + e.getMessage());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("result", "failed");
            m.put("file", in.toString());
            m.put("error", e.getMessage());
            json(m);
            return 1;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "decrypted");
        m.put("file", in.toString());
        m.put("out", out.toString());
        m.put("keyId", key.id());
        try {
            m.put("bytes", Files.size(out));
        } catch (IOException e) {
            m.put("bytes", null);
        }
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        json(m);
        return 0;
    }

    private void json(Map<String, Object> line) {
        try {
            out.println(CatalogueJson.MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository {@code --repo} names: a directory, or {@code s3://bucket/prefix} (see {@link S3Options}). */
    private Backups engine(Map<String, String> o) {
        String repo = required(o, "repo");
        if (!S3Location.isS3(repo)) {
            if (!o.containsKey("encryption-key")) {
                BackupEngine plain = filesystem(o);
                if (plain.catalogue().listAll().stream().noneMatch(CatalogueEntry::encrypted)) {
                    return plain;
                }
            }
            // encrypted (or asked to be): the same catalogue, encryption and staging as S3, over the directory; an
            // encrypted backup without its key is refused with the key's id
            Path staging = Path.of(o.getOrDefault("staging", S3Options.defaultStaging(env)));
            try {
                return S3Backups.directory(
                        PgBinaries.locate(),
                        OsUser.forPostgres(),
                        Path.of(repo),
                        staging,
                        Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout-seconds", "7200"))),
                        S3Options.key(o, env, Usage::new),
                        compressWorkers(o));
            } catch (IllegalArgumentException e) {
                throw new Usage(e.getMessage());
            }
        }
        S3Location where;
        try {
            where = S3Location.parse(repo);
        } catch (IllegalArgumentException e) {
            throw new Usage("--repo: " + e.getMessage());
        }
        Path staging = Path.of(o.getOrDefault("staging", S3Options.defaultStaging(env)));
        return S3Options.backups(where, o, env, localEngine(staging, o), Usage::new);
    }

    private BackupEngine filesystem(Map<String, String> o) {
        String repo = required(o, "repo");
        if (S3Location.isS3(repo)) {
            throw new Usage("wal-check reads a filesystem repository's WAL archive (the copy in a bucket is made"
                    + " from the backup-service's local archive, which its gap check reads)");
        }
        return localEngine(Path.of(repo), o);
    }

    private static BackupEngine localEngine(Path dir, Map<String, String> o) {
        return new BackupEngine(
                PgBinaries.locate(),
                OsUser.forPostgres(),
                new RepositoryLayout(dir),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout-seconds", "7200"))),
                compressWorkers(o));
    }

    private static int compressWorkers(Map<String, String> o) {
        String n = o.getOrDefault("compress-workers", "1");
        if (!n.matches("[1-9][0-9]{0,2}")) {
            throw new Usage("--compress-workers: a number of threads from 1, not '" + n + "'");
        }
        return Integer.parseInt(n);
    }

    private String password(Map<String, String> o) {
        if (o.containsKey("password-file")) {
            try {
                return Files.readString(Path.of(o.get("password-file"))).strip();
            } catch (IOException e) {
                throw new Usage("cannot read the password file " + o.get("password-file") + ": "
                        + e.getClass().getSimpleName());
            }
        }
        return env.get("PGPASSWORD"); // null: libpq's ~/.pgpass or no password
    }

    private static final List<String> FLAGS =
            List.of("fast-checkpoint", "no-verify", "drill", "start", "exclusive", "s3-path-style");
    private static final List<String> VALUED = List.of(
            "host",
            "port",
            "user",
            "repo",
            "compress",
            "compress-workers",
            "cluster",
            "node",
            "password-file",
            "id",
            "timeout-seconds",
            "to",
            "target-time",
            "target-lsn",
            "target-xid",
            "target-name",
            "wal-segment-size",
            "staging",
            "s3-endpoint",
            "s3-region",
            "s3-credentials-file",
            "s3-part-size-mib",
            "s3-parallel",
            "encryption-key",
            "in",
            "out");

    static Map<String, String> options(List<String> args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new Usage("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("password")) {
                throw new Usage("a password is never taken on the command line: use PGPASSWORD or --password-file");
            }
            if (FLAGS.contains(name)) {
                m.put(name, "true");
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new Usage("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                m.put(name, value);
            } else {
                throw new Usage("unknown option --" + name);
            }
        }
        return m;
    }

    private static String required(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null || v.isBlank()) {
            throw new Usage("--" + name + " is required");
        }
        return v;
    }

    static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new Usage("--port " + s + " is not a port (1-65535)");
    }
}
