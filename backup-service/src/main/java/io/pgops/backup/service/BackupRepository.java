package io.pgops.backup.service;

import io.pgops.backup.domain.BackupId;
import io.pgops.backup.domain.CatalogueEntry;
import io.pgops.events.model.ClusterId;
import java.util.List;
import java.util.Optional;

/**
 * A repository's catalogue, whatever holds it: a directory ({@link Catalogue}) or an S3-compatible bucket
 * ({@link S3Repository}). Only complete backups are ever listed.
 */
public interface BackupRepository {
    /** Where it is, in words an operator can paste: a directory or {@code s3://bucket/prefix}. */
    String location();

    /** Every complete backup of {@code cluster}, oldest first. */
    List<CatalogueEntry> list(ClusterId cluster);

    /** Every complete backup of every cluster in the repository, by cluster then age. */
    List<CatalogueEntry> listAll();

    Optional<CatalogueEntry> find(ClusterId cluster, BackupId id);

    /** Rewrites a backup's entry (its verification changed). */
    void update(CatalogueEntry entry);
}
