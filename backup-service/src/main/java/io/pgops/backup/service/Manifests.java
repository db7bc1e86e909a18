package io.pgops.backup.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgops.backup.domain.ManifestSummary;
import io.pgops.events.model.Lsn;
import io.pgops.events.model.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@code backup_manifest} (PostgreSQL's JSON, version 1) into what the catalogue needs. */
public final class Manifests {
    private Manifests() {}

    public static ManifestSummary read(Path manifest) throws IOException {
        return parse(CatalogueJson.MAPPER.readTree(manifest.toFile()));
    }

    public static ManifestSummary parse(JsonNode root) {
        long count = 0;
        long bytes = 0;
        for (JsonNode f : root.path("Files")) {
            count++;
            bytes += f.path("Size").asLong();
        }
        List<ManifestSummary.WalRange> ranges = new ArrayList<>();
        for (JsonNode r : root.path("WAL-Ranges")) {
            ranges.add(new ManifestSummary.WalRange(
                    Timeline.of(r.path("Timeline").asLong()),
                    Lsn.parse(r.path("Start-LSN").asText()),
                    Lsn.parse(r.path("End-LSN").asText())));
        }
        return new ManifestSummary(count, bytes, ranges);
    }
}
