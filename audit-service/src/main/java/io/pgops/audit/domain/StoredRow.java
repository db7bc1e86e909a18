package io.pgops.audit.domain;

/**
 * A row as read back from the database, to be verified.
 *
 * @param seq the row's position
 * @param columns the searchable columns as stored, with the stored recorded bytes
 * @param hash the stored hash
 */
public record StoredRow(long seq, AuditEntry columns, byte[] hash) {}
