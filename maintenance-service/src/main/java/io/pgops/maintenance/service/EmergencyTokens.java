package io.pgops.maintenance.service;

import io.pgops.maintenance.domain.BackendSession;
import io.pgops.maintenance.domain.EmergencyCriteria;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dry runs' confirmation tokens, in this instance's memory: each names the cluster, node, criteria and the
 * sessions the dry run showed (pid and backend start), expires after the configured time and is used once.
 */
final class EmergencyTokens {
    private static final int KEPT = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a dry run showed, as its token stands for it. */
    record Issued(
            String cluster, String node, EmergencyCriteria criteria, Set<BackendSession.Key> seen, Instant expiresAt) {}

    private final Map<String, Issued> issued = new LinkedHashMap<>();

    synchronized String issue(Issued dryRun) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        issued.put(token, dryRun);
        prune(Instant.now());
        return token;
    }

    /** The dry run the token stands for, removed (a token is used once); empty if unknown or expired. */
    synchronized Optional<Issued> take(String token, Instant now) {
        Issued i = issued.remove(token);
        return i == null || now.isAfter(i.expiresAt()) ? Optional.empty() : Optional.of(i);
    }

    private void prune(Instant now) {
        Iterator<Map.Entry<String, Issued>> it = issued.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Issued> e = it.next();
            if (issued.size() > KEPT || now.isAfter(e.getValue().expiresAt())) {
                it.remove();
            }
        }
    }
}
