package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.KmsSource.Kind.KEY_POLICIES;
import static dev.kmsposture.testkit.generators.KmsSource.Kind.KMS_ACTIONS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.KmsAction;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Test classes that {@link KmsSourceTest} runs through the JUnit launcher to see what a failing or
 * misdeclared {@code @KmsSource} test reports. Not run on their own (the name ends in neither Test
 * nor Properties).
 */
final class KmsSourceFixtures {
  private KmsSourceFixtures() {}

  static final class FailsOnPutKeyPolicy {
    // The edge cases come first: kms:*, *, kms:Decrypt, kms:PutKeyPolicy (the fourth), ...
    @ParameterizedTest
    @KmsSource(value = KMS_ACTIONS, count = 5, seed = 7L)
    void actions(KmsAction action) {
      assertThat(action).isNotEqualTo(KmsAction.PUT_KEY_POLICY);
    }
  }

  static final class WrongParameterType {
    @ParameterizedTest
    @KmsSource(value = KEY_POLICIES, count = 3, seed = 1L)
    void policies(String policy) {
      assertThat(policy).isNotEmpty();
    }
  }
}
