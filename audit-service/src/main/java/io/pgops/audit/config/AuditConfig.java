package io.pgops.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The audit-service's own settings, under {@code pgops.audit}. */
@ConfigMapping(prefix = "pgops.audit")
public interface AuditConfig {
    /** Retrying a batch the database did not take (it is never skipped). */
    Retry retry();

    /** Walking the hash chain for {@code GET /audit/verify}. */
    Verify verify();

    interface Retry {
        /** First pause before a failed batch is written again. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest pause between attempts; a batch is retried until it is durable. */
        @WithDefault("10s")
        Duration maxBackoff();
    }

    interface Verify {
        /** Rows read per round trip while walking the chain (memory versus round trips). */
        @WithDefault("2000")
        int pageSize();
    }
}
