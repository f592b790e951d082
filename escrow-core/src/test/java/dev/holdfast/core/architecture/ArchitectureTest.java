package dev.holdfast.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency arrow points inward: api knows nothing, core knows only api, and no container leaks in. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.holdfast.api", "dev.holdfast.spi", "dev.holdfast.core");
    }

    @Test
    void apiAndCoreUseNoContainerPersistenceOrAdapterTypes() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.holdfast.api..", "dev.holdfast.spi..", "dev.holdfast.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "jakarta..",
                        "javax.persistence..",
                        "javax.ws..",
                        "dev.holdfast.lightning..",
                        "dev.holdfast.stellar..",
                        "dev.holdfast.openpayments..",
                        "dev.holdfast.jakarta..")
                .check(classes);
    }

    @Test
    void theApiDependsOnNothingButTheJdk() {
        classes()
                .that()
                .resideInAnyPackage("dev.holdfast.api..", "dev.holdfast.spi..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.holdfast.api..", "dev.holdfast.spi..", "java..")
                .check(classes);
    }

    @Test
    void theApiDoesNotKnowTheCore() {
        noClasses()
                .that()
                .resideInAnyPackage("dev.holdfast.api..", "dev.holdfast.spi..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.holdfast.core..")
                .check(classes);
    }

    @Test
    void onlyTheCoresOwnPackagesReachIntoInternal() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.holdfast.core..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.holdfast.core.internal..")
                .check(classes);
    }

    @Test
    void theSpiDoesNotDependOnTheEngineInterface() {
        noClasses()
                .that()
                .resideInAPackage("dev.holdfast.spi..")
                .should()
                .dependOnClassesThat()
                .haveSimpleName("EscrowEngine")
                .check(classes);
    }
}
