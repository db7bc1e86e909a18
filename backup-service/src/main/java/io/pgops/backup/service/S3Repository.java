package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.S3Layout;
import io.pgops.backup.domain.WalShipping;
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
        // one listing of the cluster's child prefixes (not of every key: the WAL copy lies beside the backups), then
        // each backup's catalogue object, which only a complete backup has
        List<CatalogueEntry> out = new ArrayList<>();
        for (String child : store.children(layout.cluster(cluster))) {
            BackupId id = layout.backupIn(cluster, child);
            if (id != null) {
                find(cluster, id).ifPresent(out::add);
            }
        }
        out.sort(java.util.Comparator.comparing(CatalogueEntry::id));
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

    /**
     * Deletes a backup: its catalogue object first (from then on it is not listed, and what a failure leaves behind
     * is an unfinished backup's objects, {@link #unfinished}), then every other object under the backup's prefix.
     */
    public void delete(CatalogueEntry entry) {
        store.delete(layout.catalogue(entry.cluster(), entry.id()));
        deleteObjects(entry.cluster(), entry.id());
    }

    /** Deletes every object under a backup's prefix (an unfinished upload's leftovers, or an expired backup's). */
    public void deleteObjects(ClusterId cluster, BackupId id) {
        for (String k : store.keys(layout.backup(cluster, id))) {
            store.delete(k);
        }
    }

    // ---- the copy of the WAL archive -------------------------------------------------------------------------

    /** The local file names the bucket holds a copy of ({@code .gcm} taken off). */
    public java.util.Set<String> walFiles(ClusterId cluster) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        String prefix = layout.wal(cluster);
        for (String k : store.keys(prefix)) {
            out.add(WalShipping.fileName(k.substring(prefix.length())));
        }
        return out;
    }

    /**
     * Copies one file of the local WAL archive into the bucket, encrypted ({@code .gcm}) when this repository has a
     * key. The object appears whole or not at all (one PUT, or a multipart upload completed at its end).
     */
    public void putWal(ClusterId cluster, Path file) throws IOException {
        String name = file.getFileName().toString();
        String objectKey = layout.walObject(cluster, WalShipping.objectName(name, key.isPresent()));
        if (key.isEmpty()) {
            store.upload(file, objectKey);
            return;
        }
        Path enc = Files.createTempFile(
                "pgops-wal-",
                ".gcm",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (var in = Files.newInputStream(file);
                    var out = Files.newOutputStream(enc)) {
                ChunkedGcm.encrypt(in, out, key.get(), ChunkedGcm.DEFAULT_CHUNK);
            }
            store.upload(enc, objectKey);
        } finally {
            Files.deleteIfExists(enc);
        }
    }

    /** Deletes the copies of local WAL archive files (retention removed them locally). */
    public void deleteWal(ClusterId cluster, java.util.Collection<String> fileNames) {
        java.util.Set<String> names = java.util.Set.copyOf(fileNames);
        String prefix = layout.wal(cluster);
        for (String k : store.keys(prefix)) {
            if (names.contains(WalShipping.fileName(k.substring(prefix.length())))) {
                store.delete(k);
            }
        }
    }

    /**
     * Downloads the bucket's copy of the WAL archive into {@code dir} (created, mode 700), decrypting what is
     * encrypted (refused without its key or when altered); files already there are left as they are. Returns how
     * many files came.
     */
    public int downloadWal(ClusterId cluster, Path dir) throws IOException {
        Files.createDirectories(
                dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        String prefix = layout.wal(cluster);
        int n = 0;
        for (String k : store.keys(prefix)) {
            String objectName = k.substring(prefix.length());
            String name = WalShipping.fileName(objectName);
            Path target = dir.resolve(name);
            if (Files.exists(target)) {
                continue;
            }
            if (objectName.equals(name)) {
                store.download(k, target);
            } else {
                if (key.isEmpty()) {
                    throw new ChunkedGcm.Refused("the WAL file " + name + " in " + location
                            + " is encrypted: give its key (--encryption-key)");
                }
                Path enc = dir.resolve("." + name + ".gcm");
                Path plain = dir.resolve("." + name + ".plain");
                try {
                    store.download(k, enc);
                    try (var in = Files.newInputStream(enc);
                            var out = Files.newOutputStream(plain)) {
                        ChunkedGcm.decrypt(in, out, key.get());
                    } catch (ChunkedGcm.Refused e) {
                        throw new ChunkedGcm.Refused("the WAL file " + name + ": " + e.getMessage());
                    }
                    Files.move(plain, target);
                } finally {
                    Files.deleteIfExists(enc);
                    Files.deleteIfExists(plain);
                }
            }
            n++;
        }
        return n;
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
