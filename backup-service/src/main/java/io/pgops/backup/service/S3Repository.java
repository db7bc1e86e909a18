package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.S3Layout;
import io.pgops.events.model.ClusterId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catalogue of an S3 repository ({@link S3Layout}): a backup is listed only when its {@code backup.json}
 * object exists, and that object is uploaded after every other file of the backup, so an upload that died leaves
 * nothing listed (its objects stay until removed by hand or by a lifecycle rule; {@link #unfinished} names them).
 */
public final class S3Repository implements BackupRepository {
    private final S3Layout layout;
    private final S3Store store;

    public S3Repository(S3Layout layout, S3Store store) {
        this.layout = layout;
        this.store = store;
    }

    public S3Layout layout() {
        return layout;
    }

    @Override
    public String location() {
        return layout.location().toString();
    }

    @Override
    public List<CatalogueEntry> list(ClusterId cluster) {
        List<CatalogueEntry> out = new ArrayList<>();
        for (BackupId id : layout.complete(cluster, store.keys(layout.cluster(cluster)))) {
            find(cluster, id).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public List<CatalogueEntry> listAll() {
        List<CatalogueEntry> out = new ArrayList<>();
        for (String child : store.children(layout.base()).stream().sorted().toList()) {
            ClusterId c = layout.clusterOf(child);
            if (c != null) {
                out.addAll(list(c));
            }
        }
        return out;
    }

    @Override
    public Optional<CatalogueEntry> find(ClusterId cluster, BackupId id) {
        byte[] json = store.getBytes(layout.catalogue(cluster, id));
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(CatalogueJson.MAPPER.readValue(json, CatalogueEntry.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalogue object " + layout.catalogue(cluster, id), e);
        }
    }

    @Override
    public void update(CatalogueEntry entry) {
        store.putBytes(layout.catalogue(entry.cluster(), entry.id()), json(entry));
    }

    /**
     * Uploads a complete local backup directory: every stored file first (multipart, parallel parts), then the
     * catalogue object, which makes it visible. A failure deletes what was uploaded of it.
     */
    public void upload(Path dir, CatalogueEntry entry) throws IOException {
        List<String> uploaded = new ArrayList<>();
        try {
            for (String f : entry.files()) {
                String key = layout.object(entry.cluster(), entry.id(), f);
                store.upload(dir.resolve(f), key);
                uploaded.add(key);
            }
            update(entry);
        } catch (IOException | RuntimeException e) {
            for (String key : uploaded) {
                try {
                    store.delete(key);
                } catch (RuntimeException d) {
                    e.addSuppressed(d);
                }
            }
            throw e;
        }
    }

    /** Downloads a backup's stored files and its catalogue entry into {@code dir} (created, mode 700). */
    public void download(CatalogueEntry entry, Path dir) throws IOException {
        Files.createDirectories(
                dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (String f : entry.files()) {
            store.download(layout.object(entry.cluster(), entry.id(), f), dir.resolve(f));
        }
        Files.write(dir.resolve(CatalogueEntry.FILE), json(entry));
    }

    /** The ids of {@code cluster}'s backups whose upload never finished (objects without a catalogue object). */
    public List<BackupId> unfinished(ClusterId cluster) {
        return layout.unfinished(cluster, store.keys(layout.cluster(cluster)));
    }

    private static byte[] json(CatalogueEntry entry) {
        try {
            return CatalogueJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the catalogue entry of " + entry.id(), e);
        }
    }
}
