package io.pgops.health.domain.sample;

import java.util.List;

/**
 * The node's security posture.
 *
 * @param ssl whether {@code ssl} is on
 * @param passwordEncryption {@code password_encryption}
 * @param riskyHbaRules {@code pg_hba_file_rules} lines that trust network clients or admit any
 *     address ({@code 0.0.0.0/0}, {@code ::/0}, {@code all}), as {@code "line 12: host all all 0.0.0.0/0 md5"};
 *     null when the rules could not be read
 * @param superuserNetworkSessions superuser sessions from a non-loopback address, as {@code "user@addr"}
 */
public record Security(
        boolean ssl, String passwordEncryption, List<String> riskyHbaRules, List<String> superuserNetworkSessions) {}
