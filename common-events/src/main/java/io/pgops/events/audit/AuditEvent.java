package io.pgops.events.audit;

import io.pgops.events.PgopsEvent;

/** Facts of the audit service about the audit trail itself; published on {@code pgops.audit.events}. */
public sealed interface AuditEvent extends PgopsEvent permits ChainCheckpointed {}
