package io.pgops.backup.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pgops.events.model.ClusterId;
import io.pgops.events.model.NodeName;
import org.junit.jupiter.api.Test;

class SourceTest {
    @Test
    void theConnectionStringQuotesEveryValueSoAHostCannotAddAKeyword() {
        Source s = new Source(
                ClusterId.of("main"), NodeName.of("node1"), "db1 sslmode=disable", 5432, "o'brien", "secret");
        assertEquals(
                "host='db1 sslmode=disable' port=5432 user='o\\'brien' application_name='pgops-wal-main'"
                        + " replication=true",
                s.conninfo("pgops-wal-main", "replication=true"));
        assertFalse(s.conninfo("x").contains("secret"), "the password never goes into the connection string");
    }
}
