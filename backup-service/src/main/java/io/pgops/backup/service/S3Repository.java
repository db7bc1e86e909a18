package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.S3Layout;
import io.pgops.events.model.ClusterId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    private final ObjectStore store;
    private final Optional<EncryptionKey> key;
    private final String location;

    /** @param key when present, new uploads are encrypted with it and encrypted backups are decrypted with it */
    public S3Repository(S3Layout layout, S3Store store, Optional<EncryptionKey> key) {
        this(layout, store, key, layout.location().toString());
    }

    /**
     * The same repository over any {@link ObjectStore} (a {@link DirectoryStore} for an encrypted filesystem
     * repository: {@code layout}'s prefix then names a directory under its root, {@code location} the directory).
     */
    public S3Repository(S3Layout layout, ObjectStore store, Optional<EncryptionKey> key, String location) {
        this.layout = layout;
        this.store = store;
        this.key = key;
        this.location = location;
    }

    public S3Layout layout() {
        return layout;
    }

    @Override
    public String location() {
        return location;
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
     * Uploads a complete local backup directory: every stored file first (multipart, parallel parts; encrypted
     * first when this repository has a key), then the catalogue object, which makes it visible. A failure deletes
     * what was uploaded of it. Returns the entry as catalogued (with the key's id when encrypted).
     */
    public CatalogueEntry upload(Path dir, CatalogueEntry entry) throws IOException {
        CatalogueEntry stored =
                entry.withEncryptionKeyId(key.map(EncryptionKey::id).orElse(null));
        List<String> uploaded = new ArrayList<>();
        try {
            for (String f : entry.files()) {
                String objectKey = layout.object(entry.cluster(), entry.id(), f);
                if (key.isPresent()) {
                    Path enc = dir.resolve("." + f + ".enc");
                    try (var in = Files.newInputStream(dir.resolve(f));
                            var out = Files.newOutputStream(enc)) {
                        ChunkedGcm.encrypt(in, out, key.get(), ChunkedGcm.DEFAULT_CHUNK);
                    }
                    try {
                        store.upload(enc, objectKey);
                    } finally {
                        Files.deleteIfExists(enc);
                    }
                } else {
                    store.upload(dir.resolve(f), objectKey);
                }
                uploaded.add(objectKey);
            }
            update(stored);
            return stored;
        } catch (IOException | RuntimeException e) {
            for (String k : uploaded) {
                try {
                    store.delete(k);
                } catch (RuntimeException d) {
                    e.addSuppressed(d);
                }
            }
            throw e;
        }
    }

    /**
     * Downloads a backup's stored files and its catalogue entry into {@code dir} (created, mode 700), decrypting an
     * encrypted backup: refused ({@link ChunkedGcm.Refused}) without its key, with another key, or when a file does
     * not authenticate (altered, cut off).
     */
    public void download(CatalogueEntry entry, Path dir) throws IOException {
        if (entry.encrypted()) {
            if (key.isEmpty()) {
                throw new ChunkedGcm.Refused("backup " + entry.id() + " is encrypted with the key of id "
                        + entry.encryptionKeyId() + ": give that key (--encryption-key)");
            }
            if (!key.get().id().equals(entry.encryptionKeyId())) {
                throw new ChunkedGcm.Refused(
                        "backup " + entry.id() + " is encrypted with the key of id " + entry.encryptionKeyId()
                                + ", not with the key " + key.get().id() + " given");
            }
        }
        Files.createDirectories(
                dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (String f : entry.files()) {
            String objectKey = layout.object(entry.cluster(), entry.id(), f);
            if (entry.encrypted()) {
                downloadDecrypted(objectKey, dir, f, entry);
            } else {
                store.download(objectKey, dir.resolve(f));
            }
        }
        Files.write(dir.resolve(CatalogueEntry.FILE), json(entry));
    }

    /** Downloads and decrypts through two temporary names; the file appears only once every chunk authenticated. */
    private void downloadDecrypted(String objectKey, Path dir, String f, CatalogueEntry entry) throws IOException {
        Path enc = dir.resolve("." + f + ".enc");
        Path plain = dir.resolve("." + f + ".plain");
        try {
            store.download(objectKey, enc);
            try (var in = Files.newInputStream(enc);
                    var out = Files.newOutputStream(plain)) {
                ChunkedGcm.decrypt(in, out, key.orElseThrow());
            } catch (ChunkedGcm.Refused e) {
                throw new ChunkedGcm.Refused(f + " of backup " + entry.id() + ": " + e.getMessage());
            }
            Files.move(plain, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(enc);
            Files.deleteIfExists(plain);
        }
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
