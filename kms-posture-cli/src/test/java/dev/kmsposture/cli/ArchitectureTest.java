package dev.kmsposture.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import picocli.CommandLine.Command;

/** The structure rules of the command line. */
@AnalyzeClasses(
    packages = "dev.kmsposture.cli",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule packages_areFreeOfCycles =
      slices()
          .matching("dev.kmsposture.(**)")
          .should()
          .beFreeOfCycles()
          // The command line is one package so far; slices come when commands get packages.
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule commands_haveStandardHelpOptions =
      classes()
          .that()
          .areAnnotatedWith(Command.class)
          .should(haveStandardHelpOptions())
          .because("every command answers --help and --version");

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

  private static ArchCondition<JavaClass> haveStandardHelpOptions() {
    return new ArchCondition<>("set mixinStandardHelpOptions = true") {
      @Override
      public void check(JavaClass javaClass, ConditionEvents events) {
        boolean satisfied = javaClass.getAnnotationOfType(Command.class).mixinStandardHelpOptions();
        events.add(
            new SimpleConditionEvent(
                javaClass,
                satisfied,
                String.format(
                    "%s %s mixinStandardHelpOptions = true",
                    javaClass.getName(), satisfied ? "sets" : "does not set")));
      }
    };
  }
}
