package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.backup.domain.RepositoryLayout;
import io.pgops.events.model.ClusterId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The catalogue of a filesystem repository: one {@code backup.json} in each complete backup's directory. It is
 * read back from the directories themselves, so the repository alone is the truth (a copy of it elsewhere lists
 * the same backups); partial directories are never listed.
 */
public final class Catalogue implements BackupRepository {
    private final RepositoryLayout layout;

    public Catalogue(RepositoryLayout layout) {
        this.layout = layout;
    }

    public RepositoryLayout layout() {
        return layout;
    }

    @Override
    public String location() {
        return layout.root().toString();
    }

    /** Every complete backup of {@code cluster}, oldest first. */
    @Override
    public List<CatalogueEntry> list(ClusterId cluster) {
        Path dir = layout.cluster(cluster);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<CatalogueEntry> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path p : children.sorted().toList()) {
                if (RepositoryLayout.isBackupDirectory(p.getFileName().toString())
                        && Files.isRegularFile(p.resolve(CatalogueEntry.FILE))) {
                    out.add(read(p.resolve(CatalogueEntry.FILE)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(Comparator.comparing(CatalogueEntry::id));
        return out;
    }

    /** Every complete backup of every cluster in the repository, by cluster then age. */
    @Override
    public List<CatalogueEntry> listAll() {
        if (!Files.isDirectory(layout.root())) {
            return List.of();
        }
        List<CatalogueEntry> out = new ArrayList<>();
        try (Stream<Path> clusters = Files.list(layout.root())) {
            for (Path c : clusters.filter(Files::isDirectory).sorted().toList()) {
                String name = c.getFileName().toString();
                if (name.matches(io.pgops.events.model.ClusterId.PATTERN)) {
                    out.addAll(list(ClusterId.of(name)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + layout.root(), e);
        }
        return out;
    }

    @Override
    public Optional<CatalogueEntry> find(ClusterId cluster, BackupId id) {
        Path f = layout.backup(cluster, id).resolve(CatalogueEntry.FILE);
        return Files.isRegularFile(f) ? Optional.of(read(f)) : Optional.empty();
    }

    /** Rewrites a backup's entry (its verification changed): a new file renamed over the old one. */
    @Override
    public void update(CatalogueEntry entry) {
        write(layout.backup(entry.cluster(), entry.id()), entry);
    }

    /** Takes the backup out of the catalogue with one rename ({@code .expired-<id>}), then deletes its files. */
    static void delete(RepositoryLayout layout, CatalogueEntry e) {
        Path dir = layout.backup(e.cluster(), e.id());
        Path gone = layout.cluster(e.cluster()).resolve(RetentionRunner.EXPIRED_PREFIX + e.id().value());
        try {
            Files.move(dir, gone, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException x) {
            throw new UncheckedIOException("cannot take backup " + e.id() + " out of the catalogue", x);
        }
        Trees.delete(gone);
    }

    /** Writes {@code entry} as {@code backup.json} into {@code dir} through a temporary file and a rename. */
    static void write(Path dir, CatalogueEntry entry) {
        Path tmp = dir.resolve("." + CatalogueEntry.FILE + ".tmp");
        try {
            Files.write(
                    tmp, CatalogueJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry));
            try {
                Files.move(tmp, dir.resolve(CatalogueEntry.FILE), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(CatalogueEntry.FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the catalogue entry in " + dir, e);
        }
    }

    private static CatalogueEntry read(Path file) {
        try {
            return CatalogueJson.MAPPER.readValue(file.toFile(), CatalogueEntry.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalogue entry " + file, e);
        }
    }
}
