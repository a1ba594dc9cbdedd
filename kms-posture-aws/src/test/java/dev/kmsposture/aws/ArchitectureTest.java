package dev.kmsposture.aws;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The layering and API rules of kms-posture-aws: core's API rules, plus what aws may depend on
 * (core, the AWS SDK, the JDK, SLF4J, Jackson) and may not (the testkit, the command line).
 */
@AnalyzeClasses(
    packages = "dev.kmsposture.aws",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final DescribedPredicate<JavaClass> INTERNAL =
      resideInAPackage("dev.kmsposture..internal..");

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
              "com.fasterxml.jackson..")
          .because(
              "aws uses AWS SDK service clients the caller built, and core for everything else");

  @ArchTest
  static final ArchRule aws_doesNotDependOnTestkitOrCli =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.kmsposture.testkit..", "dev.kmsposture.cli..")
          .because("the testkit and the command line depend on aws, not the reverse");

  @ArchTest
  static final ArchRule api_publicSignatures_exposeNoInternalType =
      members().that(areExposedApi()).should(notExposeInternalTypes());

  @ArchTest
  static final ArchRule api_publicClasses_doNotExtendInternalTypes =
      classes().that(areExposedClasses()).should(notExtendInternalTypes());

  @ArchTest
  static final ArchRule packages_areFreeOfCycles =
      slices()
          .matching("dev.kmsposture.(**)")
          .should()
          .beFreeOfCycles()
          // An API package may call its internal helpers, which build API values in return; that
          // edge is implementation, not layering (same rule as core).
          .ignoreDependency(not(INTERNAL), INTERNAL)
          // One package exists so far; the internal package comes with the scanner work.
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule publicConcreteClasses_areFinal =
      classes()
          .that()
          .arePublic()
          .and()
          .areTopLevelClasses()
          .and()
          .areNotInterfaces()
          .and()
          .areNotEnums()
          .and()
          .areNotRecords()
          .and()
          .doNotHaveModifier(JavaModifier.ABSTRACT)
          .and()
          .areNotAssignableTo(Throwable.class)
          .should()
          .haveModifier(JavaModifier.FINAL)
          .because("public classes are final unless designed for extension");

  @ArchTest
  static final ArchRule noJavaUtilLogging =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  @ArchTest
  static final ArchRule noStandardStreams =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because(
          "a library logs through SLF4J and returns data; it never prints");

  private static boolean isExposed(JavaClass javaClass) {
    if (!javaClass.getModifiers().contains(JavaModifier.PUBLIC) || INTERNAL.test(javaClass)) {
      return false;
    }
    return javaClass.getEnclosingClass().map(ArchitectureTest::isExposed).orElse(true);
  }

  private static DescribedPredicate<JavaClass> areExposedClasses() {
    return DescribedPredicate.describe(
        "public classes outside ..internal..", ArchitectureTest::isExposed);
  }

  private static DescribedPredicate<JavaMember> areExposedApi() {
    return DescribedPredicate.describe(
        "public or protected members of public classes outside ..internal..",
        member ->
            (member.getModifiers().contains(JavaModifier.PUBLIC)
                    || member.getModifiers().contains(JavaModifier.PROTECTED))
                && isExposed(member.getOwner()));
  }

  private static ArchCondition<JavaMember> notExposeInternalTypes() {
    return new ArchCondition<>("not expose ..internal.. types in their signature") {
      @Override
      public void check(JavaMember member, ConditionEvents events) {
        Set<JavaClass> types = new LinkedHashSet<>();
        if (member instanceof JavaField) {
          types.addAll(((JavaField) member).getType().getAllInvolvedRawTypes());
        }
        if (member instanceof JavaCodeUnit) {
          JavaCodeUnit codeUnit = (JavaCodeUnit) member;
          types.addAll(codeUnit.getReturnType().getAllInvolvedRawTypes());
          codeUnit.getParameterTypes().forEach(p -> types.addAll(p.getAllInvolvedRawTypes()));
          codeUnit.getThrowsClause().getTypes().forEach(types::add);
        }
        for (JavaClass type : types) {
          JavaClass base = type.getBaseComponentType();
          if (INTERNAL.test(base)) {
            events.add(
                SimpleConditionEvent.violated(
                    member,
                    String.format(
                        "%s exposes internal type %s", member.getFullName(), base.getName())));
          }
        }
      }
    };
  }

  private static ArchCondition<JavaClass> notExtendInternalTypes() {
    return new ArchCondition<>("not extend or implement ..internal.. types") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        Set<JavaClass> supertypes = new LinkedHashSet<>(javaClass.getRawInterfaces());
        javaClass.getRawSuperclass().ifPresent(supertypes::add);
        for (JavaClass supertype : supertypes) {
          if (INTERNAL.test(supertype)) {
            events.add(
                SimpleConditionEvent.violated(
                    javaClass,
                    String.format(
                        "%s extends internal type %s", javaClass.getName(), supertype.getName())));
          }
        }
      }
    };
  }
}
