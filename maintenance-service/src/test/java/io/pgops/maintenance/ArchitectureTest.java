package io.pgops.maintenance;

import io.pgops.stack.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void serviceDependsOnNoOtherServiceAndItsDomainIsPlainJava() {
        ArchitectureRules.checkService("maintenance");
    }
}
