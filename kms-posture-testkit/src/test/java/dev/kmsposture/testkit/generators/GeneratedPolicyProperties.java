package dev.kmsposture.testkit.generators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyIssue;
import dev.kmsposture.testkit.quicktheories.QuickTheoriesGen;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every policy {@link KmsGenerators} makes is a policy KMS would read: it parses, round-trips
 * through canonical JSON, fits the size limit, and validates with pointers into the document.
 */
class GeneratedPolicyProperties {

  private static final List<KeyPolicyGenerator> GENERATORS =
      List.of(
          KmsGenerators.keyPolicies(),
          KmsGenerators.keyPolicies().leastPrivilegeOnly(),
          KmsGenerators.keyPolicies().withWildcardPrincipals(),
          KmsGenerators.keyPolicies().withRiskyShapes(),
          KmsGenerators.keyPolicies().withWildcardPrincipals().withRiskyShapes());

  @Test
  void everyGeneratedPolicy_parsesAndRoundTripsThroughCanonicalJson() {
    for (KeyPolicyGenerator generator : GENERATORS) {
      for (KeyPolicy edge : generator.edgeCases()) {
        roundTrips(edge);
      }
      qt().withExamples(300)
          .forAll(QuickTheoriesGen.of(generator))
          .checkAssert(GeneratedPolicyProperties::roundTrips);
    }
  }

  private static void roundTrips(KeyPolicy policy) {
    String json = policy.toJson();
    assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(KeyPolicy.MAX_BYTES);
    KeyPolicy parsed = KeyPolicy.parse(json);
    assertThat(parsed).isEqualTo(policy);
    assertThat(parsed.toJson()).isEqualTo(json);
    assertThat(KeyPolicy.parse(policy.toCompactJson())).isEqualTo(policy);
    assertThat(parsed.isEquivalentTo(policy)).isTrue();
    for (PolicyIssue issue : policy.validate()) {
      assertThat(issue.pointer()).matches("|/.*");
    }
  }
}
