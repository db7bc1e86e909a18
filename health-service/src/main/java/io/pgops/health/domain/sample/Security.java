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
 * @param weakHbaRules {@code pg_hba_file_rules} lines for network clients whose method sends the password in the
 *     clear ({@code password}) or as an MD5 hash ({@code md5}), as {@code "line 7: host all all 10.0.0.0/8 md5"};
 *     null when the rules could not be read
 * @param pgauditLoaded whether {@code shared_preload_libraries} names pgaudit
 * @param pgauditLog {@code pgaudit.log}; null when pgaudit is not loaded
 */
public record Security(
        boolean ssl,
        String passwordEncryption,
        List<String> riskyHbaRules,
        List<String> superuserNetworkSessions,
        List<String> weakHbaRules,
        boolean pgauditLoaded,
        String pgauditLog) {
    /** The posture without the hba methods and pgaudit (older samples, tests of the other checks). */
    public Security(
            boolean ssl, String passwordEncryption, List<String> riskyHbaRules, List<String> superuserNetworkSessions) {
        this(ssl, passwordEncryption, riskyHbaRules, superuserNetworkSessions, null, false, null);
    }
}
