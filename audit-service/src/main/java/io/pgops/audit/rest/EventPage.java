package io.pgops.audit.rest;

import io.pgops.audit.service.AuditRecord;
import java.util.List;

/**
 * One page of events, newest first.
 *
 * @param items the events
 * @param next the cursor of the next (older) page; null on the last page
 */
public record EventPage(List<AuditRecord> items, String next) {}
