package dev.kmsposture.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.kmsposture.archrules.ApiRules;
import picocli.CommandLine.Command;

/**
 * The structure rules of the command line: only {@link KmsPosture} is public, every command answers
 * {@code --help}, and the API rules every module keeps ({@link ApiRules}). The command line prints,
 * so it has no standard-streams rule.
 */
@AnalyzeClasses(
    packages = "dev.kmsposture.cli",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest static final ArchTests apiRules = ArchTests.in(ApiRules.class);

  @ArchTest
  static final ArchRule onlyTheEntryPoint_isPublic =
      classes()
          .that()
          .doNotHaveFullyQualifiedName(KmsPosture.class.getName())
          .should()
          .notBePublic()
          .because(
              "the command line exports only its entry point; commands and their helpers are"
                  + " internal");

  @ArchTest
  static final ArchRule commands_haveStandardHelpOptions =
      classes()
          .that()
          .areAnnotatedWith(Command.class)
          .should(haveStandardHelpOptions())
          .because("every command answers --help and --version");

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
