package io.pgops.backup.cli;

import io.pgops.backup.domain.RecoveryTarget;
import io.pgops.backup.domain.WalGaps;
import io.pgops.backup.domain.WalSegment;
import io.pgops.backup.service.BackupEngine;
import io.pgops.backup.service.BackupFailure;
import io.pgops.backup.service.Backups;
import io.pgops.backup.service.PointInTimeRestore;
import io.pgops.backup.service.WalArchive;
import io.pgops.events.model.ClusterId;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code bin/pgops backup restore} and {@code bin/pgops backup wal-check}: point-in-time restore from the
 * repository's backups and WAL archive, and the archive's coverage, on the same engine as the service.
 */
final class WalCommands {
    private final PrintStream err;
    private final Consumer<Map<String, Object>> json;

    WalCommands(PrintStream err, Consumer<Map<String, Object>> json) {
        this.err = err;
        this.json = json;
    }

    /** @param engines the engine on {@code --repo}, made only once the options are known to be usable */
    int restore(Supplier<Backups> engines, Map<String, String> o) {
        String to = o.get("to");
        if (to == null || to.isBlank()) {
            throw new BackupCli.Usage("--to is required: the new data directory (absent or empty)");
        }
        ClusterId cluster = ClusterId.of(o.getOrDefault("cluster", "default"));
        RecoveryTarget target;
        try {
            target = RecoveryTarget.of(
                    o.get("target-time"), o.get("target-lsn"), o.get("target-xid"), o.get("target-name"));
        } catch (IllegalArgumentException e) {
            throw new BackupCli.Usage(e.getMessage());
        }
        boolean start = o.containsKey("start");
        if (o.containsKey("port") && !start) {
            throw new BackupCli.Usage("--port is the port --start starts the restored server on: give --start too");
        }
        if (start && !o.containsKey("port")) {
            throw new BackupCli.Usage("--start needs --port: a free port for the restored server");
        }
        PointInTimeRestore.Request request = new PointInTimeRestore.Request(
                cluster,
                Path.of(to),
                Optional.ofNullable(o.get("id")),
                target,
                !o.containsKey("exclusive"),
                start ? OptionalInt.of(BackupCli.parsePort(o.get("port"))) : OptionalInt.empty(),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout-seconds", "7200"))));
        Backups engine = engines.get();
        long t0 = System.nanoTime();
        PointInTimeRestore.Outcome out;
        try {
            out = engine.restore(request, line -> err.println("pgops backup: " + line));
        } catch (BackupFailure f) {
            err.println("pgops backup: restore failed at " + f.stage() + ": " + f.getMessage());
            if (!f.toolOutput().isBlank()) {
                err.println(f.toolOutput());
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("result", "failed");
            line.put("stage", f.stage());
            line.put("error", f.error());
            json.accept(line);
            return 1;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("result", start ? "restored" : "prepared");
        line.put("cluster", cluster.value());
        line.put("backup", out.plan().backup().id().value());
        line.put("reason", out.plan().reason());
        line.put("target", target.describe());
        line.put("dataDir", out.dataDir().toString());
        line.put("unpackSeconds", out.unpackMillis() / 1000.0);
        line.put("archiveGaps", out.archiveGaps().size());
        if (start) {
            line.put("port", request.port().getAsInt());
            line.put("recoverySeconds", out.recoveryMillis() / 1000.0);
            line.put("timeline", out.timeline().value());
        }
        line.put("seconds", (System.nanoTime() - t0) / 1e9);
        json.accept(line);
        return 0;
    }

    int walCheck(Supplier<BackupEngine> engines, Map<String, String> o) {
        ClusterId cluster = ClusterId.of(o.getOrDefault("cluster", "default"));
        long size;
        try {
            size = o.containsKey("wal-segment-size")
                    ? Long.parseLong(o.get("wal-segment-size"))
                    : WalSegment.DEFAULT_SIZE;
            WalSegment.of(io.pgops.events.model.Timeline.of(1), 0).name(size);
        } catch (IllegalArgumentException e) {
            throw new BackupCli.Usage("--wal-segment-size: " + e.getMessage());
        }
        BackupEngine engine = engines.get();
        WalGaps.Report r = engine.walCheck(cluster, size);
        for (WalGaps.Gap g : r.gaps()) {
            err.printf(
                    "pgops backup: gap on timeline %s: %d segment(s) from %s%n",
                    g.timeline(),
                    g.count(),
                    WalSegment.of(g.timeline(), g.firstMissing()).name(size));
        }
        if (!r.note().isEmpty()) {
            err.println("pgops backup: " + r.note());
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("cluster", cluster.value());
        line.putAll(WalArchive.describe(r, engine.layout().wal(cluster).toString(), size));
        json.accept(line);
        return r.complete() ? 0 : 1;
    }
}
