package dev.kmsposture.aws;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.kmsposture.archrules.ApiRules;

/**
 * The layering and API rules of kms-posture-aws: core's API rules, plus what aws may depend on
 * (core, the AWS SDK, the JDK, SLF4J, Jackson) and may not (the testkit, the command line).
 */
@AnalyzeClasses(
    packages = "dev.kmsposture.aws",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest static final ArchTests apiRules = ArchTests.in(ApiRules.class);

  @ArchTest
  static final ArchRule aws_dependsOnlyOnCoreSdkAndLibraries =
      classes()
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "java..",
              "dev.kmsposture..",
              "software.amazon.awssdk..",
              "org.slf4j..",
              "org.jspecify..",
              "com.fasterxml.jackson..",
              "io.github.resilience4j..")
          .because(
              "aws uses AWS SDK service clients the caller built, core for everything else, and"
                  + " resilience4j for rate limits");

  @ArchTest
  static final ArchRule aws_doesNotDependOnTestkitOrCli =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.kmsposture.testkit..", "dev.kmsposture.cli..")
          .because("the testkit and the command line depend on aws, not the reverse");

  @ArchTest
  static final ArchRule noStandardStreams =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because(
          "a library logs through SLF4J and returns data; it never prints");
}
