package io.pgops.maintenance;

import io.pgops.stack.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void serviceDependsOnNoOtherServiceAndItsDomainIsPlainJava() {
        // a skeleton until its issue lands: the rules guard the code it gets next
        ArchitectureRules.checkService("maintenance", true);
    }
}
