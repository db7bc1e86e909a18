package io.pgops.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The audit-service's own settings, under {@code pgops.audit}. */
@ConfigMapping(prefix = "pgops.audit")
public interface AuditConfig {
    /** Retrying a batch the database did not take (it is never skipped). */
    Retry retry();

    /** Consuming and appending batches. */
    Ingest ingest();

    /** Walking the hash chain for {@code GET /audit/verify}. */
    Verify verify();

    /** Signed checkpoints of the chain head, published on pgops.audit.events. */
    Checkpoint checkpoint();

    interface Retry {
        /** First pause before a failed batch is written again. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest pause between attempts; a batch is retried until it is durable. */
        @WithDefault("10s")
        Duration maxBackoff();
    }

    interface Ingest {
        /**
         * Consumed batches that may be waiting or being written at once (not yet durable, offsets not
         * committed): the next batch is decoded while earlier ones are written.
         */
        @WithDefault("8")
        int maxInFlight();

        /**
         * Append transactions sent at once: the next is planned on top of the one PostgreSQL is running
         * and sent on the same connection, so the database never waits for the service between two.
         */
        @WithDefault("2")
        int maxWrites();

        /**
         * Events that must wait before a transaction is sent beside one already running (alone, a
         * transaction takes whatever waits): a small transaction beside another costs more in its own
         * commit than the overlap saves.
         */
        @WithDefault("1000")
        int minRowsToOverlap();

        /**
         * Most events one transaction appends: batches waiting together are written as one transaction
         * up to this many events (a consumed batch is never split).
         */
        @WithDefault("2000")
        int maxRowsPerTransaction();
    }

    interface Checkpoint {
        /**
         * How often the chain head is signed and published when it moved; {@code off} disables
         * checkpoints (read by the scheduler as {@code pgops.audit.checkpoint.interval}).
         */
        @WithDefault("1m")
        String interval();

        /**
         * File holding the Ed25519 signing key (created with mode 600 on first start). Unset: a key per
         * process, which cannot be pinned across restarts.
         */
        Optional<Path> keyFile();
    }

    interface Verify {
        /** Rows read per round trip while walking the chain (memory versus round trips). */
        @WithDefault("2000")
        int pageSize();
    }
}
