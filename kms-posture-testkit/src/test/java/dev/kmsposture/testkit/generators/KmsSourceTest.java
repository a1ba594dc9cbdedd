package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.KmsSource.Kind.ACCESS_REQUESTS;
import static dev.kmsposture.testkit.generators.KmsSource.Kind.KEY_POLICIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.KeyPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class KmsSourceTest {

  @ParameterizedTest
  @KmsSource(value = KEY_POLICIES, count = 30, seed = 42L)
  void keyPolicies_roundTripThroughCanonicalJson(KeyPolicy policy) {
    assertThat(KeyPolicy.parse(policy.toJson())).isEqualTo(policy);
  }

  @ParameterizedTest
  @KmsSource(value = ACCESS_REQUESTS, count = 30, seed = 1L)
  void accessRequests_areDecidedWithAnExplanation(AccessRequest request) {
    KeyPolicy policy = KmsGenerators.keyPolicies().samples(5L, 1).get(0);
    assertThat(KeyAccessEvaluator.evaluate(policy, request).explanation()).isNotBlank();
  }

  /** What the launcher reported for one test or invocation. */
  private record Outcome(String displayName, TestExecutionResult result) {}

  private static List<Outcome> run(Class<?> fixture) {
    List<Outcome> outcomes = new ArrayList<>();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(),
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            outcomes.add(new Outcome(id.getDisplayName(), result));
          }
        });
    return outcomes;
  }

  @Test
  void failingInvocation_namesItsSeedAndCarriesIt() {
    // when
    List<Outcome> outcomes = run(KmsSourceFixtures.FailsOnPutKeyPolicy.class);

    // then
    List<Outcome> failed =
        outcomes.stream()
            .filter(o -> o.result().getStatus() == TestExecutionResult.Status.FAILED)
            .toList();
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).displayName()).isEqualTo("[4] KMS_ACTIONS #4 of 5, seed 7L");
    Throwable thrown = failed.get(0).result().getThrowable().orElseThrow();
    assertThat(thrown.getSuppressed())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s)
                    .hasMessage(
                        "values from @KmsSource(value = KMS_ACTIONS, count = 5, seed = 7L);"
                            + " replay with that seed, or with -Dkmsposture.seed=7"));
    assertThat(outcomes).filteredOn(o -> o.displayName().startsWith("[")).hasSize(5);
  }

  @Test
  void parameterOfAnotherType_failsNamingBoth() {
    List<Outcome> outcomes = run(KmsSourceFixtures.WrongParameterType.class);

    Throwable thrown =
        outcomes.stream()
            .filter(o -> o.result().getStatus() == TestExecutionResult.Status.FAILED)
            .findFirst()
            .orElseThrow()
            .result()
            .getThrowable()
            .orElseThrow();
    assertThat(thrown)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("parameter [0] of method [")
        .hasMessageContaining("WrongParameterType.policies(java.lang.String)")
        .hasMessageEndingWith("is String; @KmsSource(KEY_POLICIES) passes KeyPolicy values");
  }
}
