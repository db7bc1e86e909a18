package io.pgops.events;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CONTRACT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pgops.events");

    @Test
    void contractDependsOnlyOnTheJdkAndJackson() {
        classes()
                .that()
                .resideInAPackage("io.pgops.events..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "com.fasterxml.jackson..", "io.pgops.events..")
                .because("every service compiles against common-events: keep it to the JDK and Jackson; move code"
                        + " that needs another library into the service that uses it, or express it with java.*"
                        + " types")
                .check(CONTRACT);
    }

    @Test
    void valueObjectsKnowNothingOfEvents() {
        noClasses()
                .that()
                .resideInAPackage("io.pgops.events.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.pgops.events",
                        "io.pgops.events.health..",
                        "io.pgops.events.replication..",
                        "io.pgops.events.backup..",
                        "io.pgops.events.maintenance..",
                        "io.pgops.events.audit..")
                .because("value objects are the vocabulary events are made of: move event logic out of"
                        + " io.pgops.events.model")
                .check(CONTRACT);
    }

    @Test
    void areasDoNotDependOnEachOther() {
        for (String area : new String[] {"health", "replication", "backup", "maintenance", "audit"}) {
            noClasses()
                    .that()
                    .resideInAPackage("io.pgops.events." + area + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(otherAreas(area))
                    .because("an area's events carry ids and facts, not another area's records: copy the fact"
                            + " (an LSN, a node name) instead of referencing the other area's event")
                    .check(CONTRACT);
        }
    }

    private static String[] otherAreas(String area) {
        return java.util.stream.Stream.of("health", "replication", "backup", "maintenance", "audit")
                .filter(a -> !a.equals(area))
                .map(a -> "io.pgops.events." + a + "..")
                .toArray(String[]::new);
    }
}
