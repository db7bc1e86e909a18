package io.pgops.stack.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;

/** The architecture every service keeps, checked by each service's build (ArchUnit). */
public final class ArchitectureRules {
    public static final List<String> SERVICES = List.of("audit", "backup", "health", "maintenance", "replication");

    private ArchitectureRules() {}

    /** Runs every rule for the service whose code lives in {@code io.pgops.<service>}. */
    public static void checkService(String service) {
        checkService(service, false);
    }

    /**
     * As {@link #checkService(String)}; a service that is still only a skeleton (no code of its own
     * yet) passes {@code skeleton = true}, and the rules then guard the code it gets next.
     */
    public static void checkService(String service, boolean skeleton) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pgops." + service);
        if (classes.isEmpty() && !skeleton) {
            throw new AssertionError("no classes found in io.pgops." + service + ": the rule would pass vacuously");
        }
        String[] others = SERVICES.stream()
                .filter(s -> !s.equals(service))
                .map(s -> "io.pgops." + s + "..")
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage("io.pgops." + service + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("services talk only through Kafka events and commands: publish an event from"
                        + " common-events instead of calling another service's code")
                .allowEmptyShould(skeleton)
                .check(classes);
        classes()
                .that()
                .resideInAPackage("io.pgops." + service + ".domain..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.pgops.events..", "io.pgops." + service + ".domain..")
                .because("decisions are plain Java that unit tests call without Quarkus, Kafka or PostgreSQL:"
                        + " move framework code to the service, messaging or rest package")
                .allowEmptyShould(true)
                .check(classes);
    }
}
