package io.pgops.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3SettingsTest {
    static S3Settings withFile(Optional<Path> file) {
        return new S3Settings(Optional.empty(), "", true, file, S3Settings.DEFAULT_PART, 4);
    }

    @Test
    void credentialsComeFromTheReferencedFileBeforeTheEnvironment(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s3.properties");
        Files.writeString(f, "access-key-id = AKIAFILE\nsecret-access-key = s3cr3t-from-file\n");
        S3Settings.Credentials c = withFile(Optional.of(f))
                .credentials(Map.of("AWS_ACCESS_KEY_ID", "env", "AWS_SECRET_ACCESS_KEY", "env-secret"));
        assertEquals("AKIAFILE", c.accessKeyId());
        assertEquals("s3cr3t-from-file", c.secretAccessKey());
        assertFalse(c.toString().contains("s3cr3t"), c.toString());
    }

    @Test
    void missingCredentialsSayWhereTheyWereExpectedWithoutAnySecret(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("half.properties");
        Files.writeString(f, "access-key-id=AKIAHALF\n");
        var e = assertThrows(
                IllegalArgumentException.class, () -> withFile(Optional.of(f)).credentials(Map.of()));
        assertTrue(e.getMessage().contains("secret-access-key"), e.getMessage());
        var env = assertThrows(
                IllegalArgumentException.class,
                () -> withFile(Optional.empty()).credentials(Map.of("AWS_ACCESS_KEY_ID", "AKIA")));
        assertTrue(env.getMessage().contains("AWS_SECRET_ACCESS_KEY"), env.getMessage());
    }

    @Test
    void refusesPartsBelowS3sMinimumAndDefaultsTheRegion() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new S3Settings(Optional.empty(), "eu-west-1", false, Optional.empty(), 1024 * 1024, 4));
        assertThrows(
                IllegalArgumentException.class,
                () -> new S3Settings(Optional.empty(), "eu-west-1", false, Optional.empty(), S3Settings.MIN_PART, 0));
        assertEquals("us-east-1", withFile(Optional.empty()).region());
    }
}
