package io.pgops.backup.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgops.backup.service.CatalogueJson;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Backup ids answer as their text, as in the catalogue files. */
@Singleton
public class BackupIdJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(CatalogueJson.IDS);
    }
}
