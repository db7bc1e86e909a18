package io.pgops.maintenance.service;

import io.pgops.maintenance.domain.BackendSession;
import io.pgops.maintenance.domain.EmergencyAction;
import io.pgops.maintenance.domain.EmergencyCriteria;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dry runs' confirmation tokens. A token carries what its dry run showed — the cluster, node, criteria, the
 * sessions (pid and backend start) and when it expires — signed with HMAC-SHA-256: any instance that holds the same
 * key ({@code pgops.maintenance.emergency.token-key}, by reference) takes a token another issued, so a confirmation
 * may reach any instance behind a load balancer. Without a configured key each instance signs with a random key of
 * its own and takes only its own tokens. A token is taken once per instance (its nonce is remembered until it
 * expires), and a shared one once across the instances as well ({@link EmergencyTokenLedger}, on the cluster's
 * primary).
 */
final class EmergencyTokens {
    private static final int KEPT = 10_000;
    private static final int VERSION = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a dry run showed, as its token stands for it. */
    record Issued(
            String cluster, String node, EmergencyCriteria criteria, Set<BackendSession.Key> seen, Instant expiresAt) {}

    /** A token taken: its nonce (hex; what names it in {@link EmergencyTokenLedger}) and its dry run. */
    record Taken(String nonce, Issued issued) {}

    private final byte[] key;
    private final boolean shared;
    /** Nonces taken here, with when their tokens expire. */
    private final Map<String, Instant> taken = new LinkedHashMap<>();

    EmergencyTokens(byte[] key, boolean shared) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a token key must be at least 32 bytes, not " + key.length);
        }
        this.key = key.clone();
        this.shared = shared;
    }

    /** An instance's own random key: its tokens are taken by itself only. */
    static EmergencyTokens ofOwnKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return new EmergencyTokens(k, false);
    }

    /**
     * The key a reference names, shared by the instances given the same: {@code file:/path} (32 or more raw bytes, or
     * their base64) or {@code env:NAME} (their base64). A bad reference is said without any of the key in the words.
     */
    static EmergencyTokens ofReference(String reference, Map<String, String> env) {
        String text;
        String where;
        if (reference.startsWith("file:")) {
            Path file = Path.of(reference.substring("file:".length()));
            byte[] raw;
            try {
                raw = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the token key file " + file + ": "
                        + e.getClass().getSimpleName());
            }
            text = new String(raw, StandardCharsets.US_ASCII).strip();
            where = "the file " + file;
            if (raw.length >= 32 && !text.matches("[A-Za-z0-9+/=]+")) {
                return new EmergencyTokens(raw, true);
            }
        } else if (reference.startsWith("env:")) {
            String name = reference.substring("env:".length());
            text = env.getOrDefault(name, "").strip();
            where = "the environment variable " + name;
        } else {
            throw new IllegalArgumentException("the token key is given as file:/path or env:NAME, never itself");
        }
        byte[] k;
        try {
            k = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " holds neither raw key bytes nor their base64");
        }
        if (k.length < 32) {
            throw new IllegalArgumentException(where + " holds " + k.length + " bytes; a token key has at least 32");
        }
        return new EmergencyTokens(k, true);
    }

    /** Whether other instances given the same key take these tokens. */
    boolean shared() {
        return shared;
    }

    String issue(Issued dryRun) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        byte[] payload = encode(nonce, dryRun);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(mac(payload));
    }

    /**
     * The dry run the token stands for, if it is signed with this key, unexpired and not taken here before (it is
     * taken now); empty otherwise. A shared token is then claimed in {@link EmergencyTokenLedger} too, so that it is
     * taken once across the instances.
     */
    Optional<Taken> take(String token, Instant now) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] tag;
        try {
            payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            tag = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(payload), tag)) {
            return Optional.empty();
        }
        Taken d;
        try {
            d = decode(payload);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // signed with this key, so written by pgops: only a version this one cannot read
        }
        if (now.isAfter(d.issued().expiresAt())) {
            return Optional.empty();
        }
        synchronized (taken) {
            prune(now);
            if (taken.putIfAbsent(d.nonce(), d.issued().expiresAt()) != null) {
                return Optional.empty();
            }
        }
        return Optional.of(d);
    }

    private void prune(Instant now) {
        Iterator<Map.Entry<String, Instant>> it = taken.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Instant> e = it.next();
            if (now.isAfter(e.getValue()) || taken.size() > KEPT) {
                it.remove();
            }
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encode(byte[] nonce, Issued i) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.write(nonce);
            out.writeLong(i.expiresAt().toEpochMilli());
            out.writeUTF(i.cluster());
            out.writeUTF(i.node());
            EmergencyCriteria c = i.criteria();
            out.writeUTF(c.action().code());
            out.writeLong(c.longerThan().toMillis());
            optional(out, c.database());
            optional(out, c.user());
            optional(out, c.application());
            Set<String> superusers = new TreeSet<>(c.superusers());
            out.writeInt(superusers.size());
            for (String s : superusers) {
                out.writeUTF(s);
            }
            out.writeInt(i.seen().size());
            for (BackendSession.Key k : i.seen()) {
                out.writeInt(k.pid());
                out.writeBoolean(k.backendStart() != null);
                if (k.backendStart() != null) {
                    out.writeLong(k.backendStart().getEpochSecond());
                    out.writeInt(k.backendStart().getNano());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        return bytes.toByteArray();
    }

    private static Taken decode(byte[] payload) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readByte() != VERSION) {
                throw new IOException("unknown token version");
            }
            byte[] nonce = new byte[12];
            in.readFully(nonce);
            Instant expires = Instant.ofEpochMilli(in.readLong());
            String cluster = in.readUTF();
            String node = in.readUTF();
            EmergencyAction action =
                    EmergencyAction.ofCode(in.readUTF()).orElseThrow(() -> new IOException("unknown action"));
            Duration longerThan = Duration.ofMillis(in.readLong());
            String database = optional(in);
            String user = optional(in);
            String application = optional(in);
            int n = in.readInt();
            Set<String> superusers = new HashSet<>();
            for (int i = 0; i < n; i++) {
                superusers.add(in.readUTF());
            }
            int sessions = in.readInt();
            Set<BackendSession.Key> seen = new HashSet<>();
            for (int i = 0; i < sessions; i++) {
                int pid = in.readInt();
                Instant start = in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
                seen.add(new BackendSession.Key(pid, start));
            }
            EmergencyCriteria c = new EmergencyCriteria(action, longerThan, database, user, application, superusers);
            return new Taken(
                    java.util.HexFormat.of().formatHex(nonce), new Issued(cluster, node, c, Set.copyOf(seen), expires));
        }
    }

    private static void optional(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String optional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
