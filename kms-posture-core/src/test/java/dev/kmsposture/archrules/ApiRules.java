package dev.kmsposture.archrules;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The API rules every published module keeps (STYLE.md "Guarding the API boundary"): no internal
 * type in a public signature or supertype, no package cycles, public concrete classes final, no
 * java.util.logging. Each module's {@code ArchitectureTest} includes them with {@code
 * ArchTests.in(ApiRules.class)}, next to its own layering rules; the aws, testkit and cli modules
 * get this class from core's test jar.
 */
public final class ApiRules {
  private static final DescribedPredicate<JavaClass> INTERNAL =
      resideInAPackage("dev.kmsposture..internal..");

  private ApiRules() {}

  @ArchTest
  public static final ArchRule api_publicSignatures_exposeNoInternalType =
      members().that(areExposedApi()).should(notExposeInternalTypes());

  @ArchTest
  public static final ArchRule api_publicClasses_doNotExtendInternalTypes =
      classes()
          .that(areExposedClasses())
          .should(notExtendInternalTypes())
          // A module may hold only records and enums.
          .allowEmptyShould(true);

  @ArchTest
  public static final ArchRule packages_areFreeOfCycles =
      slices()
          .matching("dev.kmsposture.(**)")
          .should()
          .beFreeOfCycles()
          // An API package may call its internal helpers, which build API values in return (the
          // testkit's LocalKms -> internal engine -> its journal entries). That edge is
          // implementation, not layering; every other edge is checked. Core's own
          // ArchitectureTest checks its packages without this exemption.
          .ignoreDependency(not(INTERNAL), INTERNAL)
          // A module with one package has no slices yet.
          .allowEmptyShould(true);

  @ArchTest
  public static final ArchRule publicConcreteClasses_areFinal =
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
          .because("public classes are final unless designed for extension")
          // A module may hold only records, enums and exceptions.
          .allowEmptyShould(true);

  @ArchTest
  public static final ArchRule noJavaUtilLogging =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  private static boolean isExposed(JavaClass javaClass) {
    if (!javaClass.getModifiers().contains(JavaModifier.PUBLIC) || INTERNAL.test(javaClass)) {
      return false;
    }
    return javaClass.getEnclosingClass().map(ApiRules::isExposed).orElse(true);
  }

  private static DescribedPredicate<JavaClass> areExposedClasses() {
    return DescribedPredicate.describe("public classes outside ..internal..", ApiRules::isExposed);
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
        if (member instanceof JavaField javaField) {
          types.addAll(javaField.getType().getAllInvolvedRawTypes());
        }
        if (member instanceof JavaCodeUnit codeUnit) {
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
