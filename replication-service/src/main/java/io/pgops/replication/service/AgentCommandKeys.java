package io.pgops.replication.service;

import io.pgops.replication.config.AgentAuthConfig;
import io.pgops.replication.domain.AgentCredential;
import io.pgops.replication.domain.AgentCredential.Claims;
import io.pgops.replication.domain.AgentCredential.Refusal;
import io.pgops.replication.domain.AgentCredential.Refused;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

/**
 * Signs (coordinator) and verifies (agent) the credentials of agent operations ({@link AgentCredential}) as
 * RS256 JWTs with jose4j. Verification here is the signature, the algorithm (RS256 only) and the time window
 * (issued, not expired, valid for at most a minute); what the claims must say is {@link AgentCredential#check}.
 */
@ApplicationScoped
public class AgentCommandKeys {
    static final String OP = "op";
    static final String TERM = "term";
    static final String CMD = "cmd";
    private static final int MAX_VALIDITY_MINUTES = 1;

    private final Optional<PrivateKey> signing;
    private final List<PublicKey> verifying;
    private final AgentAuthConfig config;

    @Inject
    public AgentCommandKeys(AgentAuthConfig config) {
        this(
                config,
                config.signingKey().map(AgentCommandKeys::readPrivate),
                config.verifyKey().orElse(List.of()).stream()
                        .map(String::trim)
                        .filter(f -> !f.isEmpty())
                        .map(AgentCommandKeys::readPublic)
                        .toList());
    }

    /**
     * @param verifying the coordinators' public keys, tried in turn: while the coordinators' key pair is rotated
     *     the agents hold the old and the new public key, so a credential signed with either verifies
     */
    AgentCommandKeys(AgentAuthConfig config, Optional<PrivateKey> signing, List<PublicKey> verifying) {
        this.config = config;
        this.signing = signing;
        this.verifying = verifying;
    }

    /** How long a credential this coordinator signs stays valid. */
    public Duration ttl() {
        return config.credentialTtl();
    }

    /** A signed credential of {@code claims}, valid from now for {@code credential-ttl}. */
    public String sign(Claims claims) {
        return sign(claims, config.credentialTtl());
    }

    /** Whether this instance can sign (it holds the coordinators' private key). */
    public boolean canSign() {
        return signing.isPresent();
    }

    /** A signed lease credential of {@code claims}, valid from now for {@code lease-credential-ttl}. */
    public String signLease(Claims claims) {
        return sign(claims, config.leaseCredentialTtl());
    }

    private String sign(Claims claims, Duration ttl) {
        PrivateKey key = signing.orElseThrow(() -> new IllegalStateException(
                "this coordinator cannot command agents: pgops.agent-auth.signing-key is not set"));
        JwtClaims c = new JwtClaims();
        c.setIssuer(claims.issuer());
        c.setAudience(claims.audience());
        c.setIssuedAtToNow();
        c.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + ttl.toMillis()));
        c.setClaim(OP, claims.operation());
        if (claims.term() != null) {
            c.setClaim(TERM, claims.term());
        }
        if (claims.operationId() != null) {
            c.setJwtId(claims.operationId());
        }
        if (claims.command() != null) {
            c.setClaim(CMD, claims.command());
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an agent credential: " + e.getMessage(), e);
        }
    }

    /** The claims of a credential whose signature and time window hold, else why it is refused. */
    public Verified verify(String credential) {
        return verify(credential, MAX_VALIDITY_MINUTES);
    }

    /** As {@link #verify}, for a lease credential, which may be valid for {@code lease-credential-ttl}. */
    public Verified verifyLease(String credential) {
        return verify(credential, (int)
                Math.max(MAX_VALIDITY_MINUTES, config.leaseCredentialTtl().toMinutes() + 1));
    }

    private Verified verify(String credential, int maxValidityMinutes) {
        if (verifying.isEmpty()) {
            return Verified.refused(
                    Refusal.NO_VERIFY_KEY,
                    "this agent has no key to verify the coordinator's credential (pgops.agent-auth.verify-key)");
        }
        if (credential == null || credential.isBlank()) {
            return Verified.refused(
                    Refusal.MISSING,
                    "no credential (header " + AgentCredential.HEADER + "): only a coordinator may ask");
        }
        try {
            JwtClaims c = claims(credential.trim(), maxValidityMinutes);
            Object term = c.getClaimValue(TERM);
            return new Verified(
                    new Claims(
                            c.getIssuer(),
                            c.hasAudience() ? c.getAudience() : List.of(),
                            c.getStringClaimValue(OP),
                            term instanceof Number n ? n.longValue() : null,
                            c.getJwtId(),
                            c.getStringClaimValue(CMD)),
                    null);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                return Verified.refused(Refusal.EXPIRED, "the credential has expired");
            }
            if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                return Verified.refused(
                        Refusal.BAD_SIGNATURE, "the credential's signature does not match the coordinators' key");
            }
            if (e.hasErrorCode(ErrorCodes.EXPIRATION_TOO_FAR_IN_FUTURE)
                    || e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
                return Verified.refused(
                        Refusal.EXPIRED, "the credential is valid for longer than it may be, or issued in the future");
            }
            return Verified.refused(Refusal.MALFORMED, "the credential cannot be read as a signed RS256 token");
        } catch (MalformedClaimException e) {
            return Verified.refused(Refusal.MALFORMED, "a claim of the credential has the wrong type");
        }
    }

    /**
     * The claims of a credential signed with one of the verify keys (tried in turn; a signature that matches none
     * is {@code SIGNATURE_INVALID}), whose time window holds.
     */
    private JwtClaims claims(String credential, int maxValidityMinutes) throws InvalidJwtException {
        InvalidJwtException last = null;
        for (PublicKey key : verifying) {
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setVerificationKey(key)
                    .setJwsAlgorithmConstraints(
                            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                    .setMaxFutureValidityInMinutes(maxValidityMinutes)
                    .setSkipDefaultAudienceValidation() // AgentCredential.check: with a refusal that names both
                    .build();
            try {
                return consumer.processToClaims(credential);
            } catch (InvalidJwtException e) {
                if (!e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    /** Verified claims, or the refusal. */
    public record Verified(Claims claims, Refused refused) {
        static Verified refused(Refusal r, String reason) {
            return new Verified(null, new Refused(r, reason));
        }
    }

    static PrivateKey readPrivate(String file) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(file, "PRIVATE KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "pgops.agent-auth.signing-key " + file + " is no RSA private key (PKCS#8 PEM)", e);
        }
    }

    static PublicKey readPublic(String file) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(file, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "pgops.agent-auth.verify-key " + file + " is no RSA public key (X.509 PEM)", e);
        }
    }

    /** The DER bytes of a PEM file's one block of {@code kind}; the file's content is never put in a message. */
    private static byte[] der(String file, String kind) {
        String text;
        try {
            text = Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the key file " + file + ": " + e.getMessage(), e);
        }
        String begin = "-----BEGIN " + kind + "-----";
        String end = "-----END " + kind + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalStateException("the key file " + file + " holds no PEM block " + kind);
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        } catch (IllegalArgumentException x) {
            throw new IllegalStateException("the key file " + file + " holds a damaged PEM block " + kind);
        }
    }
}
