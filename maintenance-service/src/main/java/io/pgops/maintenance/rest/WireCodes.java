package io.pgops.maintenance.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Enums in answers as their wire codes ({@code toString}): a finding's remedy reads {@code drop-invalid-index},
 * the same word a request names the task with.
 */
@Singleton
public class WireCodes implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING);
    }
}
