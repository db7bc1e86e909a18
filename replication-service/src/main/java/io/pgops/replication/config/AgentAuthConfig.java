package io.pgops.replication.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The coordinators' credential for agent operations ({@code pgops.agent-auth.*}): coordinators sign each command
 * with a private key, agents verify it with the public half. Keys are PEM files (PKCS#8 {@code PRIVATE KEY},
 * X.509 {@code PUBLIC KEY}, RSA); nothing is built in: an agent without {@code verify-key} refuses every
 * operation, a coordinator without {@code signing-key} cannot command any agent.
 */
@ConfigMapping(prefix = "pgops.agent-auth")
public interface AgentAuthConfig {
    /** The coordinators' private key (coordinators only; an agent's host should not hold it). */
    Optional<String> signingKey();

    /**
     * The coordinators' public key, which agents verify credentials with; while the coordinators' key pair is
     * rotated, the old and the new one, comma-separated (a credential signed with either verifies).
     */
    Optional<List<String>> verifyKey();

    /** How long a credential the coordinator signs stays valid; agents refuse any valid for more than 60 s. */
    @WithDefault("30s")
    Duration credentialTtl();

    /**
     * How long the lease credential a coordinator signs with each lease it grants stays valid: a primary that
     * cannot reach Kafka keeps its lease through the other agents' confirmations (the failsafe) for at most this
     * long after its last grant, since the agents confirm only a primary that shows a valid one.
     */
    @WithDefault("1h")
    Duration leaseCredentialTtl();

    /** How far the coordinator's and the agent's clocks may disagree when the expiry is checked. */
    @WithDefault("5s")
    Duration clockSkew();

    /**
     * Refusals are reported ({@code AgentCommandRefused}) at most once per this interval per operation and code;
     * the next report counts those held back.
     */
    @WithDefault("10s")
    Duration refusalReportInterval();
}
