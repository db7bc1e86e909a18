package io.pgops.stack.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgops.stack.postgres.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The bearer tokens of a local stack or a test run: an RSA key pair made for that stack (the private key
 * in its secrets directory, mode 600; the public key beside it) and RS256 JWTs signed with plain JDK crypto,
 * each naming its key ({@code kid}). The services verify with a key set ({@code jwt-verify.jwks.json}): the
 * current key and the keys {@link #rotate rotated} out and not yet {@link #retire retired}, so tokens minted
 * before a rotation stay valid until the old key is retired. There is no fixed key anywhere: each stack and
 * each test run makes its own, and a service given no key refuses every token.
 */
public final class Tokens {
    /** The issuer ({@code iss}) every service expects unless configured otherwise ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "pgops";

    public static final String VIEWER = "pgops-viewer";
    public static final String OPERATOR = "pgops-operator";
    public static final String ADMIN = "pgops-admin";
    public static final List<String> ROLES = List.of(VIEWER, OPERATOR, ADMIN);

    static final String PRIVATE_KEY = "jwt-signing.key";
    static final String PUBLIC_KEY = "jwt-verify.pem";
    static final String KEY_SET = "jwt-verify.jwks.json";
    static final String RETIRED_DIR = "jwt-rotated";
    static final String AGENT_COMMAND_PRIVATE_KEY = "agent-command-signing.key";
    static final String AGENT_COMMAND_PUBLIC_KEY = "agent-command-verify.pem";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey signingKey;
    private final Path publicKeyFile;
    private final Path privateKeyFile;
    /** The key set services verify with; null for the agents' key and a forging key. */
    private final Path keySetFile;
    /** The signing key's id in the key set; null where there is no key set. */
    private final String kid;

    private Tokens(PrivateKey signingKey, Path publicKeyFile, Path privateKeyFile) {
        this(signingKey, publicKeyFile, privateKeyFile, null, null);
    }

    private Tokens(PrivateKey signingKey, Path publicKeyFile, Path privateKeyFile, Path keySetFile, String kid) {
        this.signingKey = signingKey;
        this.publicKeyFile = publicKeyFile;
        this.privateKeyFile = privateKeyFile;
        this.keySetFile = keySetFile;
        this.kid = kid;
    }

    /**
     * The stack's tokens: the key pair under {@code secretsDir}, made on first use (private key mode 600), and the key
     * set beside it (written again from the current key and the rotated ones).
     */
    public static synchronized Tokens in(Path secretsDir) {
        Tokens t = in(secretsDir, PRIVATE_KEY, PUBLIC_KEY);
        try {
            PublicKey current = readPublic(t.publicKeyFile);
            Path set = secretsDir.resolve(KEY_SET);
            writeKeySet(set, current, rotated(secretsDir));
            return new Tokens(t.signingKey, t.publicKeyFile, t.privateKeyFile, set, kidOf(current));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the token key set in " + secretsDir, e);
        }
    }

    /**
     * A new signing key for the stack's tokens: the current public key moves to the rotated ones (still in the key set,
     * so tokens it signed stay valid until {@link #retire}), a new pair is made and signs from now on. Services read
     * the key set when they start: restart them after a rotation.
     */
    public static synchronized Tokens rotate(Path secretsDir) {
        Tokens old = in(secretsDir);
        try {
            Path dir = secretsDir.resolve(RETIRED_DIR);
            Files.createDirectories(dir);
            Secrets.writePrivate(dir.resolve(old.kid + ".pem"), Files.readString(old.publicKeyFile));
            Files.delete(old.privateKeyFile);
            Files.delete(old.publicKeyFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot rotate the token key in " + secretsDir, e);
        }
        return in(secretsDir);
    }

    /**
     * Removes the rotated keys from the key set: tokens they signed are refused once the services restart.
     *
     * @return the ids of the keys removed
     */
    public static synchronized List<String> retire(Path secretsDir) {
        List<String> removed = new java.util.ArrayList<>();
        try {
            for (java.util.Map.Entry<String, PublicKey> e : rotated(secretsDir).entrySet()) {
                Files.delete(secretsDir.resolve(RETIRED_DIR).resolve(e.getKey() + ".pem"));
                removed.add(e.getKey());
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot retire the rotated token keys in " + secretsDir, e);
        }
        in(secretsDir);
        return removed;
    }

    /** The ids of the keys in the key set: the signing key first, then the rotated ones. */
    public List<String> keyIds() {
        List<String> ids = new java.util.ArrayList<>();
        ids.add(kid);
        try {
            ids.addAll(rotated(keySetFile.getParent()).keySet());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the rotated token keys", e);
        }
        return ids;
    }

    /** The id of the key that signs ({@code kid}). */
    public String keyId() {
        return kid;
    }

    /** The key set services verify with (a JWKS). */
    public Path keySetFile() {
        if (keySetFile == null) {
            throw new IllegalStateException("these tokens have no key set");
        }
        return keySetFile;
    }

    /** The rotated public keys by id, oldest file name first. */
    private static java.util.SortedMap<String, PublicKey> rotated(Path secretsDir)
            throws IOException, GeneralSecurityException {
        java.util.SortedMap<String, PublicKey> out = new java.util.TreeMap<>();
        Path dir = secretsDir.resolve(RETIRED_DIR);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".pem"))
                    .sorted()
                    .toList()) {
                PublicKey k = readPublic(f);
                out.put(kidOf(k), k);
            }
        }
        return out;
    }

    private static void writeKeySet(Path file, PublicKey current, java.util.Map<String, PublicKey> rotated)
            throws IOException {
        com.fasterxml.jackson.databind.node.ArrayNode keys = JSON.createArrayNode();
        keys.add(jwk(current));
        rotated.values().forEach(k -> keys.add(jwk(k)));
        ObjectNode set = JSON.createObjectNode();
        set.set("keys", keys);
        String content = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(set) + "\n";
        if (Files.exists(file) && Files.readString(file).equals(content)) {
            return; // unchanged: a service reading it now never sees it half written
        }
        // written beside and moved over it in one step: a service that reads it meanwhile sees the old set or the new
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Secrets.writePrivate(next, content);
        Files.move(
                next,
                file,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static ObjectNode jwk(PublicKey key) {
        java.security.interfaces.RSAPublicKey rsa = (java.security.interfaces.RSAPublicKey) key;
        return JSON.createObjectNode()
                .put("kty", "RSA")
                .put("kid", kidOf(key))
                .put("use", "sig")
                .put("alg", "RS256")
                .put("n", B64URL.encodeToString(unsigned(rsa.getModulus())))
                .put("e", B64URL.encodeToString(unsigned(rsa.getPublicExponent())));
    }

    private static byte[] unsigned(java.math.BigInteger n) {
        byte[] b = n.toByteArray();
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    /** A key's id: the first 16 characters of the base64url SHA-256 of its encoding. */
    static String kidOf(PublicKey key) {
        try {
            return B64URL.encodeToString(
                            java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded()))
                    .substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The coordinators' key pair for agent operations ({@code pgops.agent-auth.*}), apart from the people's: the
     * coordinators get the private key, the agents only the public one.
     */
    public static Tokens agentCommands(Path secretsDir) {
        return in(secretsDir, AGENT_COMMAND_PRIVATE_KEY, AGENT_COMMAND_PUBLIC_KEY);
    }

    /** What coordinators ({@code signing}) or agents need to sign or verify agent credentials. */
    public java.util.Map<String, String> agentAuthConfig(boolean signing) {
        return signing
                ? java.util.Map.of(
                        "pgops.agent-auth.signing-key",
                        privateKeyFile().toString(),
                        "pgops.agent-auth.verify-key",
                        publicKeyFile().toString())
                : java.util.Map.of(
                        "pgops.agent-auth.verify-key", publicKeyFile().toString());
    }

    private static synchronized Tokens in(Path secretsDir, String privateName, String publicName) {
        Path privateFile = secretsDir.resolve(privateName);
        Path publicFile = secretsDir.resolve(publicName);
        try {
            if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
                Files.createDirectories(secretsDir);
                KeyPair pair = newPair();
                Secrets.writePrivate(
                        publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Secrets.writePrivate(
                        privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            }
            byte[] der = unpem(Files.readString(privateFile));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new Tokens(key, publicFile, privateFile);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read or make the token key pair in " + secretsDir, e);
        }
    }

    /** Tokens signed by a key no service knows: for tests of a forged token. */
    public static Tokens unknownKey() {
        return new Tokens(newPair().getPrivate(), null, null);
    }

    /** The PEM file of the public key, for {@code mp.jwt.verify.publickey.location}. */
    public Path publicKeyFile() {
        if (publicKeyFile == null) {
            throw new IllegalStateException("a forging key has no public key file");
        }
        return publicKeyFile;
    }

    /** The PEM file of the private key (PKCS#8), mode 600. */
    public Path privateKeyFile() {
        if (privateKeyFile == null) {
            throw new IllegalStateException("a forging key has no key file");
        }
        return privateKeyFile;
    }

    /** What a service needs to verify this stack's tokens: the key set. */
    public java.util.Map<String, String> serviceConfig() {
        return java.util.Map.of(
                "mp.jwt.verify.publickey.location", keySetFile().toString(), "mp.jwt.verify.issuer", ISSUER);
    }

    /** A token of {@code role} for a principal named after it ({@code pgops-operator@local}), valid one hour. */
    public String forRole(String role) {
        return forRole(role, Duration.ofHours(1));
    }

    /** As {@link #forRole(String)}, valid for {@code ttl}. */
    public String forRole(String role, Duration ttl) {
        return mint(role + "@local", List.of(role), ttl);
    }

    /** {@code Bearer <token>} for an {@code Authorization} header. */
    public String bearer(String role) {
        return "Bearer " + forRole(role);
    }

    /** A token of this stack's issuer for {@code principal} with {@code groups}, valid for {@code ttl}. */
    public String mint(String principal, List<String> groups, Duration ttl) {
        Instant now = Instant.now();
        return mint(ISSUER, principal, groups, now, now.plus(ttl));
    }

    /** A token with every claim chosen (tests of wrong issuers and expired tokens use it). */
    public String mint(String issuer, String principal, List<String> groups, Instant issuedAt, Instant expiresAt) {
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", issuer)
                .put("sub", principal)
                .put("upn", principal)
                .put("iat", issuedAt.getEpochSecond())
                .put("exp", expiresAt.getEpochSecond())
                .put("jti", UUID.randomUUID().toString());
        groups.forEach(claims.putArray("groups")::add);
        return sign(claims);
    }

    /** An RS256 token of exactly {@code claims} (the agents' credentials are built by the replication-service). */
    public String sign(ObjectNode claims) {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        if (kid != null) {
            header.put("kid", kid);
        }
        String signingInput = part(header) + "." + part(claims);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(signingKey);
            rs256.update(signingInput.getBytes(UTF_8));
            return signingInput + "." + B64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String part(ObjectNode node) {
        try {
            return B64URL.encodeToString(JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA in this JDK", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
    }

    /** For tests that check the public key: the key of {@link #publicKeyFile()}. */
    static PublicKey readPublic(Path file) throws IOException, GeneralSecurityException {
        return KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.X509EncodedKeySpec(unpem(Files.readString(file))));
    }
}
