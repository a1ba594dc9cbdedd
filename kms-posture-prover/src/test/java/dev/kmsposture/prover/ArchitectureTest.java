package dev.kmsposture.prover;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.kmsposture.archrules.ApiRules;

/**
 * The structure rules of the prover: the API rules every module keeps ({@link ApiRules}); Z3 stays
 * behind the internal package, so no Z3 type reaches the API; a library never prints.
 */
@AnalyzeClasses(
    packages = "dev.kmsposture.prover",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest static final ArchTests apiRules = ArchTests.in(ApiRules.class);

  @ArchTest
  static final ArchRule api_doesNotUseZ3Types =
      noClasses()
          .that()
          .resideInAPackage("dev.kmsposture.prover")
          .should()
          .dependOnClassesThat(
              resideInAPackage("com.microsoft.z3..")
                  .and(
                      com.tngtech.archunit.base.DescribedPredicate.not(
                          com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName(
                              "Version"))))
          .because("the solver is an implementation detail behind dev.kmsposture.prover.internal");

  @ArchTest
  static final ArchRule noStandardStreams =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because(
          "a library returns data; it never prints");
}
