package dev.kmsposture.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.policy.KeyPolicy;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * Each property of a provisioned key changed out of band: the next plan holds exactly the calls
 * that converge it, applying it converges, and the plan after that is empty.
 */
class ProvisioningDriftTest {
  private final LocalAccount account = LocalAccount.start();
  private KeyProvisioner provisioner;
  private ProvisionedKey key;

  @BeforeEach
  void provision() {
    provisioner = account.provisioner().build();
    key = provisioner.provision(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));
  }

  @AfterEach
  void close() {
    account.close();
  }

  private List<String> driftThenPlan(Consumer<KmsClient> outOfBand) {
    outOfBand.accept(account.kms(LocalAccount.EAST));
    ProvisioningPlan plan = provisioner.plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));
    List<String> calls =
        plan.calls().stream().map(c -> c.operation() + " " + c.parameters()).toList();
    account.kms.journal().clear();
    ProvisionedKey converged = provisioner.apply(plan);
    assertThat(converged.arn()).isEqualTo(key.arn());
    assertThat(converged.created()).isFalse();
    assertThat(account.mutatingCalls())
        .extracting(s -> s.substring(0, s.indexOf(' ')))
        .containsExactlyElementsOf(plan.calls().stream().map(PlannedCall::operation).toList());
    assertThat(provisioner.plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS)).isEmpty())
        .as("the plan after converging")
        .isTrue();
    return calls;
  }

  private static String only(List<String> calls) {
    assertThat(calls).hasSize(1);
    return calls.get(0);
  }

  @Test
  void rotationTurnedOffIsTurnedBackOnWithThePeriod() {
    String call = only(driftThenPlan(k -> k.disableKeyRotation(x -> x.keyId(key.arn()))));
    assertThat(call).startsWith("EnableKeyRotation").contains("RotationPeriodInDays=365");
  }

  @Test
  void aChangedRotationPeriodIsSetBack() {
    String call =
        only(
            driftThenPlan(
                k -> k.enableKeyRotation(x -> x.keyId(key.arn()).rotationPeriodInDays(180))));
    assertThat(call).startsWith("EnableKeyRotation").contains("RotationPeriodInDays=365");
  }

  @Test
  void aChangedTagValueIsSetBack() {
    String call =
        only(
            driftThenPlan(
                k ->
                    k.tagResource(
                        x ->
                            x.keyId(key.arn())
                                .tags(Tag.builder().tagKey("Owner").tagValue("someone").build()))));
    assertThat(call).startsWith("TagResource").contains("Owner").contains("team-payments");
  }

  @Test
  void aRemovedTagIsAddedBack() {
    String call =
        only(
            driftThenPlan(
                k -> k.untagResource(x -> x.keyId(key.arn()).tagKeys("DataClassification"))));
    assertThat(call)
        .startsWith("TagResource")
        .contains("DataClassification")
        .doesNotContain("Owner");
  }

  @Test
  void aTagTheBlueprintDoesNotHaveIsRemovedButTheRunTagStays() {
    String call =
        only(
            driftThenPlan(
                k ->
                    k.tagResource(
                        x ->
                            x.keyId(key.arn())
                                .tags(Tag.builder().tagKey("CostCenter").tagValue("42").build()))));
    assertThat(call)
        .startsWith("UntagResource")
        .contains("CostCenter")
        .doesNotContain("kms-posture");
  }

  @Test
  void aChangedDescriptionIsSetBack() {
    String call =
        only(driftThenPlan(k -> k.updateKeyDescription(x -> x.keyId(key.arn()).description("x"))));
    assertThat(call)
        .startsWith("UpdateKeyDescription")
        .contains("Encrypts customer PII in the payments service database");
  }

  @Test
  void aPolicyWithAnotherMeaningIsReplaced() {
    String original = key.plan().policy();
    String widened =
        original.replace(
            "\"arn:aws:iam::123456789012:role/Audit\"",
            "[\"arn:aws:iam::123456789012:role/Audit\",\"arn:aws:iam::123456789012:role/Intern\"]");
    assertThat(widened).isNotEqualTo(original);
    String call =
        only(
            driftThenPlan(
                k ->
                    k.putKeyPolicy(x -> x.keyId(key.arn()).policyName("default").policy(widened))));
    assertThat(call).startsWith("PutKeyPolicy");
    String now =
        account
            .kms(LocalAccount.EAST)
            .getKeyPolicy(x -> x.keyId(key.arn()).policyName("default"))
            .policy();
    assertThat(now).doesNotContain("Intern");
    assertThat(KeyPolicy.parse(now).isEquivalentTo(KeyPolicy.parse(original))).isTrue();
  }

  @Test
  void aPolicyWithTheSameMeaningInAnotherLayoutIsNotDrift() {
    String compact =
        KeyPolicy.parse(key.plan().policy()).toJson().replace("\n", "").replace("  ", "");
    account
        .kms(LocalAccount.EAST)
        .putKeyPolicy(x -> x.keyId(key.arn()).policyName("default").policy(compact));
    assertThat(provisioner.plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS)).calls()).isEmpty();
  }

  @Test
  void severalDriftsConvergeInOnePlanPolicyFirst() {
    List<String> calls =
        driftThenPlan(
            k -> {
              k.disableKeyRotation(x -> x.keyId(key.arn()));
              k.updateKeyDescription(x -> x.keyId(key.arn()).description("x"));
              k.untagResource(x -> x.keyId(key.arn()).tagKeys("Owner"));
            });
    assertThat(calls)
        .extracting(c -> c.substring(0, c.indexOf(' ')))
        .containsExactly("UpdateKeyDescription", "TagResource", "EnableKeyRotation");
  }
}
