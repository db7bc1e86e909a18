package io.pgops.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one Jackson configuration of the contract; see {@link CloudEventCodec#json()}. */
final class EventJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // instants as ISO-8601 / RFC 3339 text, e.g. 2026-11-25T02:15:00.123456Z
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // a newer producer may add fields: old consumers ignore them
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // "5432" is not a port, 5432 is
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private EventJson() {}
}
