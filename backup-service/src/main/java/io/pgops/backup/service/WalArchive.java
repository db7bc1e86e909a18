package io.pgops.backup.service;

import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.TimelineHistory;
import io.pgops.backup.domain.WalGaps;
import io.pgops.backup.domain.WalSegment;
import io.pgops.events.model.Timeline;
import io.pgops.pgtools.Cmd;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads a cluster's WAL archive directory for the gap check: its segment files and its timeline history files
 * (decompressed when pg_receivewal compressed them), checked from the oldest usable backup's stop position.
 */
public final class WalArchive {
    private WalArchive() {}

    /**
     * The archive's coverage from the oldest backup that did not fail verification (from the oldest segment when
     * there is none).
     */
    public static WalGaps.Report check(Path dir, List<CatalogueEntry> backups, long segmentSize) throws IOException {
        Optional<WalSegment> start = backups.stream()
                .filter(e -> !e.verification().failed())
                .min(Comparator.comparing(CatalogueEntry::id))
                .map(e -> WalSegment.containing(e.timeline(), e.stopLsn(), segmentSize));
        return WalGaps.check(segments(dir, segmentSize), histories(dir), start, segmentSize);
    }

    /**
     * The report as the command line and the REST answer show it: {@code result} ({@code complete} or {@code
     * gaps}), the archive, each timeline's stretch and each gap with segment names, and the note if any.
     */
    public static Map<String, Object> describe(WalGaps.Report r, String archive, long size) {
        List<Map<String, Object>> stretches = r.stretches().stream()
                .map(st -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("timeline", st.timeline().value());
                    m.put("first", WalSegment.of(st.timeline(), st.first()).name(size));
                    m.put("last", WalSegment.of(st.timeline(), st.last()).name(size));
                    m.put("segments", st.last() - st.first() + 1);
                    m.put("present", st.present());
                    return m;
                })
                .toList();
        List<Map<String, Object>> gaps = r.gaps().stream()
                .map(g -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("timeline", g.timeline().value());
                    m.put(
                            "firstMissing",
                            WalSegment.of(g.timeline(), g.firstMissing()).name(size));
                    m.put("missing", g.count());
                    m.put("startLsn", g.startLsn(size).format());
                    return m;
                })
                .toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", r.complete() ? "complete" : "gaps");
        out.put("archive", archive);
        out.put("stretches", stretches);
        out.put("gaps", gaps);
        if (!r.note().isEmpty()) {
            out.put("note", r.note());
        }
        return out;
    }

    static List<WalSegment> segments(Path dir, long segmentSize) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .map(n -> WalSegment.parse(n, segmentSize))
                    .flatMap(Optional::stream)
                    .toList();
        }
    }

    static Map<Timeline, TimelineHistory> histories(Path dir) throws IOException {
        Map<Timeline, TimelineHistory> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = new ArrayList<>(s.sorted().toList());
        }
        for (Path f : files) {
            Optional<Timeline> t = TimelineHistory.timelineOf(f.getFileName().toString());
            if (t.isPresent() && !out.containsKey(t.get())) {
                out.put(t.get(), TimelineHistory.parse(t.get(), read(f)));
            }
        }
        return out;
    }

    private static String read(Path f) throws IOException {
        String name = f.getFileName().toString();
        if (name.endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        if (name.endsWith(".lz4")) {
            return Cmd.of("lz4", "-d", "-q", "-c", f.toString())
                    .timeoutSeconds(60)
                    .run();
        }
        return Files.readString(f, StandardCharsets.UTF_8);
    }
}
