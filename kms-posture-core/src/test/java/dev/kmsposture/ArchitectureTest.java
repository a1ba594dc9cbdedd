package dev.kmsposture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.AccessEntry;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.Grantee;
import dev.kmsposture.access.LockoutCheck;
import dev.kmsposture.access.PrincipalActions;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.archrules.ApiRules;
import dev.kmsposture.leastprivilege.RuleEngineViolation;
import dev.kmsposture.policy.LayeringViolation;
import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.ProseProtocolViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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

  /**
   * Core's packages form layers (ARCHITECTURE.md), checked on every build. From the ground up: the
   * internal helpers (wildcard matching, strict JSON, message text, condition values), which use
   * nothing of core; the policy model; the snapshot model and the access evaluation side by side,
   * both over the policy model (the snapshot reader checks account ids with {@code AccountId}); the
   * least-privilege builders and the rule engine with its built-in rules side by side; then the
   * report writers and the blueprints, which nothing in core uses.
   *
   * <p>One dependency crosses between the side-by-side layers, and only it: the least-privilege
   * builders report what they refuse with the engine's {@code Severity} and {@code RuleId}, so that
   * a builder's refusal and the rule that would flag the key agree on both. The names are fixed
   * public API ({@code dev.kmsposture.rules.Severity}, ARCHITECTURE.md), so the two types stay in
   * {@code rules}; every other use of the rule engine from {@code leastprivilege} fails.
   */
  @ArchTest
  static final ArchRule core_packages_areLayered =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .ignoreDependency(
              resideInAPackage("dev.kmsposture.leastprivilege.."),
              type(Severity.class).or(type(RuleId.class)))
          .layer("Internal")
          .definedBy("dev.kmsposture.internal..")
          .layer("Policy")
          .definedBy("dev.kmsposture.policy..")
          .layer("Snapshot")
          .definedBy("dev.kmsposture.snapshot..")
          .layer("Access")
          .definedBy("dev.kmsposture.access..")
          .layer("Rules")
          .definedBy("dev.kmsposture.rules")
          .layer("LeastPrivilege")
          .definedBy("dev.kmsposture.leastprivilege..")
          .layer("Library")
          .definedBy("dev.kmsposture.rules.library..")
          .layer("Report")
          .definedBy("dev.kmsposture.report..")
          .layer("Blueprint")
          .definedBy("dev.kmsposture.blueprint..")
          .whereLayer("Blueprint")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Report")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Library")
          .mayOnlyBeAccessedByLayers("Blueprint")
          .whereLayer("LeastPrivilege")
          .mayOnlyBeAccessedByLayers("Blueprint")
          .whereLayer("Rules")
          .mayOnlyBeAccessedByLayers("Library", "Report", "Blueprint")
          .whereLayer("Access")
          .mayOnlyBeAccessedByLayers("Rules", "LeastPrivilege", "Library", "Blueprint")
          .whereLayer("Snapshot")
          .mayOnlyBeAccessedByLayers("Rules", "Library", "Report", "Blueprint")
          .whereLayer("Policy")
          .mayOnlyBeAccessedByLayers(
              "Snapshot", "Access", "Rules", "LeastPrivilege", "Library", "Report", "Blueprint")
          .whereLayer("Internal")
          .mayNotAccessAnyLayer();

  /**
   * Core's packages are free of cycles, with no exemption: an API package that calls its internal
   * helpers is fine, but those helpers never build the API's values in return (the shared {@link
   * ApiRules#packages_areFreeOfCycles} allows that edge for the other modules).
   */
  @ArchTest
  static final ArchRule core_packages_areFreeOfCycles =
      slices().matching("dev.kmsposture.(**)").should().beFreeOfCycles();

  @Test
  void core_packages_areLayered_failsOnAViolation() {
    // a class of the policy model that reads the engine's Severity: a layer reaching upwards
    JavaClasses fixture =
        new ClassFileImporter().importClasses(LayeringViolation.class, Severity.class);

    assertThat(core_packages_areLayered.evaluate(fixture).hasViolation()).isTrue();
    assertThat(core_packages_areLayered.evaluate(fixture).getFailureReport().getDetails())
        .anySatisfy(d -> assertThat(d).contains("LayeringViolation").contains("Severity"));
  }

  @Test
  void core_packages_areLayered_allowsOnlySeverityAndRuleIdFromLeastPrivilege() {
    // a least-privilege class that reads Severity (allowed) and Status (not allowed)
    JavaClasses fixture =
        new ClassFileImporter()
            .importClasses(RuleEngineViolation.class, Severity.class, Status.class);

    assertThat(core_packages_areLayered.evaluate(fixture).getFailureReport().getDetails())
        .anySatisfy(d -> assertThat(d).contains("RuleEngineViolation").contains("Status"))
        .noneSatisfy(d -> assertThat(d).contains("Severity"));
  }

  @ArchTest
  static final ArchRule noStandardStreams =
      GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because(
          "a library logs through SLF4J and returns data; it never prints");

  // The accessors that hand out analysis text rendered for people.
  private static final Set<String> ANALYSIS_TEXT =
      Set.of(
          StatementReason.class.getName() + ".message",
          StatementPlace.class.getName() + ".name",
          StatementPlace.class.getName() + ".toString",
          StatementReason.class.getName() + ".toString",
          StatementRef.class.getName() + ".source",
          StatementRef.class.getName() + ".describe",
          AccessEntry.class.getName() + ".principal",
          PrincipalActions.class.getName() + ".principal",
          Grantee.class.getName() + ".label",
          Grantee.class.getName() + ".toString",
          LockoutCheck.class.getName() + ".explanation",
          Decision.class.getName() + ".explanation",
          AccessAnalysis.class.getName() + ".lockoutExplanation",
          AccessAnalysis.class.getName() + ".crossAccountPrincipals");

  // The String methods that would read that text back to decide.
  private static final Set<String> TEXT_TESTS =
      Set.of(
          "contains",
          "startsWith",
          "endsWith",
          "equals",
          "equalsIgnoreCase",
          "contentEquals",
          "indexOf",
          "lastIndexOf",
          "matches",
          "regionMatches");

  /**
   * Rules decide on typed verdicts (reason codes, grantees, sources), never on the analysis's
   * prose: no method (or lambda) in {@code rules} both reads analysis text and tests a String with
   * {@code contains}, {@code startsWith}, {@code equals} and the like.
   */
  @ArchTest
  static final ArchRule rules_doNotReadAnalysisProse =
      codeUnits()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage("dev.kmsposture.rules..")
          .should(notTestAnalysisText())
          .because(
              "a rule that reads AccessAnalysis English back changes its verdict when a message is"
                  + " reworded; decide on ReasonCode, Grantee and AccessSource instead");

  private static ArchCondition<JavaCodeUnit> notTestAnalysisText() {
    return new ArchCondition<>("not test analysis text with String methods") {
      @Override
      public void check(JavaCodeUnit unit, ConditionEvents events) {
        List<String> reads = new ArrayList<>();
        boolean tests = false;
        for (JavaCall<?> call : unit.getCallsFromSelf()) {
          String owner = call.getTargetOwner().getName();
          String name = call.getName();
          if (ANALYSIS_TEXT.contains(owner + "." + name)) {
            reads.add(owner.substring(owner.lastIndexOf('.') + 1) + "." + name + "()");
          }
          tests |= owner.equals(String.class.getName()) && TEXT_TESTS.contains(name);
        }
        if (!reads.isEmpty() && tests) {
          events.add(
              SimpleConditionEvent.violated(
                  unit,
                  unit.getFullName()
                      + " reads "
                      + String.join(", ", reads)
                      + " and tests Strings in the same method"));
        }
      }
    };
  }

  @Test
  void rules_doNotReadAnalysisProse_failsOnAViolation() {
    JavaClasses fixture = new ClassFileImporter().importClasses(ProseProtocolViolation.class);

    assertThat(rules_doNotReadAnalysisProse.evaluate(fixture).hasViolation()).isTrue();
    assertThat(rules_doNotReadAnalysisProse.evaluate(fixture).getFailureReport().getDetails())
        .anySatisfy(d -> assertThat(d).contains("StatementReason.message()"));
  }
}
