package io.pgops.audit.service;

import io.pgops.audit.domain.ChainLink;

/**
 * What one durable append did.
 *
 * @param recorded rows inserted
 * @param duplicates events skipped because their id was already recorded (or repeated in the batch)
 * @param head the chain head after the append
 */
public record AppendResult(int recorded, int duplicates, ChainLink head) {}
