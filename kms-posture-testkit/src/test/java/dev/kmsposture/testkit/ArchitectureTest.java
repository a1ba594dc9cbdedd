package dev.kmsposture.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.kmsposture.archrules.ApiRules;

/**
 * The layering and API rules of kms-posture-testkit: core's API rules, and no dependency on the aws
 * module (the aws module's tests use the testkit, so the reverse would be a cycle).
 */
@AnalyzeClasses(
    packages = "dev.kmsposture.testkit",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest static final ArchTests apiRules = ArchTests.in(ApiRules.class);

  @ArchTest
  static final ArchRule testkit_doesNotDependOnAwsOrCli =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.kmsposture.aws..", "dev.kmsposture.cli..")
          .because("the testkit builds on core and the SDK kms model only (ARCHITECTURE.md)");

  @ArchTest
  static final ArchRule noStandardStreams =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because(
          "a library logs through SLF4J and returns data; it never prints");
}
