package io.pgops.replication.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConninfoQuotingTest {
    @Test
    void aPasswordWithColonsAndBackslashesIsEscapedForTheLibpqPasswordFile() {
        assertEquals("a\\:b\\\\c", NodeActions.pgpassField("a:b\\c"));
    }

    @Test
    void aPassfilePathIsQuotedSoNoSpaceOrQuoteEndsTheConninfoValue() {
        assertEquals("'/var/tmp/my data/n1.pgpass'", NodeActions.conninfoValue("/var/tmp/my data/n1.pgpass"));
        assertEquals("'/x/it\\'s'", NodeActions.conninfoValue("/x/it's"));
    }
}
