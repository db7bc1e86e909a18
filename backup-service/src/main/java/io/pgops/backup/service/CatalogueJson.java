package io.pgops.backup.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pgops.backup.domain.BackupId;
import java.io.IOException;

/** The catalogue's JSON: instants as ISO-8601 text, LSNs as {@code X/X}, backup ids as text. */
public final class CatalogueJson {
    /** Backup ids as their text; registered on the REST layer's mapper too. */
    public static final SimpleModule IDS = new SimpleModule("backup-ids")
            .addSerializer(BackupId.class, new JsonSerializer<>() {
                @Override
                public void serialize(BackupId v, JsonGenerator g, SerializerProvider p) throws IOException {
                    g.writeString(v.value());
                }
            })
            .addDeserializer(BackupId.class, new JsonDeserializer<>() {
                @Override
                public BackupId deserialize(JsonParser p, DeserializationContext c) throws IOException {
                    return BackupId.of(p.getValueAsString());
                }
            });

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(IDS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // a newer pgops may add fields to backup.json: an older one still lists the backup
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private CatalogueJson() {}
}
