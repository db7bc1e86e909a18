package io.pgops.maintenance.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramVerifierTest {
    /** What PostgreSQL 15 stored for {@code CREATE ROLE vec PASSWORD 'Correct-Horse_9'} (scram-sha-256). */
    static final String FROM_POSTGRESQL = "SCRAM-SHA-256$4096:J5PZbJp5cEKUrY4OQmnEYw==$"
            + "GqeVfUyEsqkLAS9lMrIfs8tB6L/5wEO9ePTR88U4erQ=:JLwZEPVc6FQ9og6JocaHAp9dhv5Yo1diKI5JjWPydB4=";

    @Test
    void computesWhatPostgresqlStoresForTheSamePasswordAndSalt() {
        byte[] salt = Base64.getDecoder().decode("J5PZbJp5cEKUrY4OQmnEYw==");
        assertEquals(FROM_POSTGRESQL, ScramVerifier.of("Correct-Horse_9", salt, ScramVerifier.ITERATIONS));
    }

    @Test
    void refusesAPasswordSaslprepWouldChange() {
        byte[] salt = new byte[16];
        assertThrows(IllegalArgumentException.class, () -> ScramVerifier.of("caf\u00e9", salt, 4096));
        assertThrows(IllegalArgumentException.class, () -> ScramVerifier.of("two words", salt, 4096));
    }
}
