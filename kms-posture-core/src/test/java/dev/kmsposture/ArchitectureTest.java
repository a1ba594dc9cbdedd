package dev.kmsposture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
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
 * The layering rules of kms-posture-core (ARCHITECTURE.md) and the API rules every module keeps
 * ({@link ApiRules}).
 */
@AnalyzeClasses(packages = "dev.kmsposture", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest static final ArchTests apiRules = ArchTests.in(ApiRules.class);

  @ArchTest
  static final ArchRule core_awsSdk_onlyPolicyBuilder =
      noClasses()
          .that()
          .resideInAPackage("dev.kmsposture..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("software.amazon.awssdk..")
                  .and(not(resideInAPackage("software.amazon.awssdk.policybuilder.."))))
          .because(
              "core runs on data and holds no AWS service client; only the IAM Policy Builder is"
                  + " allowed");

  @ArchTest
  static final ArchRule noStandardStreams =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because(
          "a library logs through SLF4J and returns data; it never prints");
}
