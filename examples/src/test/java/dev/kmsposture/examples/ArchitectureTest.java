package dev.kmsposture.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The structure rules of the examples: they show the public API only. */
@AnalyzeClasses(
    packages = "dev.kmsposture.examples",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule examples_useOnlyExportedApi =
      noClasses()
          .that()
          .resideInAPackage("dev.kmsposture.examples..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.kmsposture..internal..")
          .because("examples show what users can write, and users cannot reach ..internal..")
          // No example program exists yet; they arrive with the features they show.
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule packages_areFreeOfCycles =
      slices()
          .matching("dev.kmsposture.(**)")
          .should()
          .beFreeOfCycles()
          // No example program exists yet; they arrive with the features they show.
          .allowEmptyShould(true);
}
