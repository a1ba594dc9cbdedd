package dev.kmsposture.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.aws.scan.KmsScanner;
import dev.kmsposture.blueprint.InsecureBlueprintException;
import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.ProvisioningTags;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.Tag;

class KeyProvisionerTest {
  private final LocalAccount account = LocalAccount.start();

  @AfterEach
  void close() {
    account.close();
  }

  @Test
  void thePlanOfANewKeyIsExactlyCreateKeyCreateAliasEnableKeyRotation() {
    ProvisioningPlan plan =
        account.provisioner().build().plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));

    assertThat(plan.calls())
        .extracting(PlannedCall::operation)
        .containsExactly("CreateKey", "CreateAlias", "EnableKeyRotation");
    assertThat(plan.createsKey()).isTrue();
    assertThat(plan.callerSource()).isEqualTo("STS GetCallerIdentity");
    assertThat(plan.checkedActions()).contains("CreateAlias", "EnableKeyRotation", "PutKeyPolicy");
    PlannedCall.CreateKey create = (PlannedCall.CreateKey) plan.calls().get(0);
    assertThat(create.parameters())
        .containsEntry("BypassPolicyLockoutSafetyCheck", "false")
        .containsEntry("KeySpec", "SYMMETRIC_DEFAULT")
        .containsEntry("KeyUsage", "ENCRYPT_DECRYPT")
        .containsEntry("MultiRegion", "false")
        .containsEntry("Description", "Encrypts customer PII in the payments service database");
    assertThat(create.tags())
        .containsEntry("Owner", "team-payments")
        .containsEntry("Environment", "prod")
        .containsEntry("Purpose", "customer-pii-encryption")
        .containsEntry("DataClassification", "restricted")
        .containsEntry(ProvisioningTags.RUN, plan.runId());
    assertThat(plan.calls().get(2).parameters()).containsEntry("RotationPeriodInDays", "365");
    KeyPolicy policy = KeyPolicy.parse(plan.policy());
    assertThat(policy.toJson()).doesNotContain("\"kms:*\"").doesNotContain(":root\"");
    // Planning reads and creates nothing.
    assertThat(account.mutatingCalls()).isEmpty();
    assertThat(plan.toString()).contains("1. CreateKey").contains("3. EnableKeyRotation");
  }

  @Test
  void theReferenceKeyIsCreatedVerifiedAndASecondApplyMakesNoMutatingCall() {
    KeyProvisioner provisioner = account.provisioner().build();
    ProvisionedKey key = provisioner.provision(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));

    assertThat(key.created()).isTrue();
    assertThat(key.alias()).isEqualTo("alias/prod-payments-customer-pii");
    assertThat(key.verified())
        .contains("description", "key policy (by meaning)", "rotation on every 365 days");
    assertThat(account.mutatingCalls())
        .containsExactly(
            "CreateKey [us-east-1]", "CreateAlias [us-east-1]", "EnableKeyRotation [us-east-1]");

    // Read back with another client (the auditor's): what the blueprint asked for is there.
    KmsClient auditor = account.auditorKms(LocalAccount.EAST);
    KeyMetadata m = auditor.describeKey(x -> x.keyId(key.alias())).keyMetadata();
    assertThat(m.arn()).isEqualTo(key.arn());
    assertThat(m.description()).isEqualTo("Encrypts customer PII in the payments service database");
    GetKeyRotationStatusResponse r = auditor.getKeyRotationStatus(x -> x.keyId(key.arn()));
    assertThat(r.keyRotationEnabled()).isTrue();
    assertThat(r.rotationPeriodInDays()).isEqualTo(365);
    Map<String, String> tags =
        auditor.listResourceTags(x -> x.keyId(key.arn())).tags().stream()
            .collect(Collectors.toMap(Tag::tagKey, Tag::tagValue));
    assertThat(tags)
        .containsKeys(
            "Owner", "Environment", "Purpose", "DataClassification", ProvisioningTags.RUN);

    account.kms.journal().clear();
    ProvisioningPlan again = provisioner.plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));
    assertThat(again.isEmpty()).isTrue();
    assertThat(again.existingKeyArn()).contains(key.arn());
    assertThat(again.createsKey()).isFalse();
    ProvisionedKey same = provisioner.apply(again);
    assertThat(same.created()).isFalse();
    assertThat(same.arn()).isEqualTo(key.arn());
    assertThat(account.mutatingCalls()).isEmpty();
    assertThat(account.kms.journal().entries()).isNotEmpty();
  }

  @Test
  void theCreatedKeyScansWithNoFindingAtOrAboveRecommended() {
    CloudTrailClient trail = account.cloudTrail(LocalAccount.EAST);
    trail.createTrail(
        x -> x.name("management").s3BucketName("audit-logs").isMultiRegionTrail(true));
    trail.startLogging(x -> x.name("management"));
    ProvisionedKey key =
        account.provisioner().build().provision(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));

    AccountSnapshot snapshot =
        KmsScanner.builder()
            .kmsClient(account.auditorKms(LocalAccount.EAST))
            .cloudTrailClients(account::auditorCloudTrail)
            .stsClient(account.auditorSts())
            .build()
            .scan();
    PostureReport report =
        PostureEngine.builder().ruleSet(KmsPostureRules.all()).build().check(snapshot);

    assertThat(snapshot.keys()).extracting(k -> k.arn()).contains(key.arn());
    List<Finding> blocking =
        report.activeFailures().stream()
            .filter(f -> f.severity().compareTo(Severity.RECOMMENDED) <= 0)
            .toList();
    assertThat(blocking).as("%s", blocking).isEmpty();
  }

  @Test
  void aMultiRegionKeyReplicatesWithItsPolicyTagsAndDescriptionAndAnAliasInTheReplicaRegion() {
    KeyProvisioner provisioner = account.provisioner().build();
    ProvisioningPlan plan =
        provisioner.plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS_MULTI_REGION));
    assertThat(plan.calls())
        .extracting(c -> c.operation() + " " + c.region())
        .containsExactly(
            "CreateKey us-east-1",
            "CreateAlias us-east-1",
            "EnableKeyRotation us-east-1",
            "ReplicateKey us-east-1",
            "CreateAlias eu-west-1");
    PlannedCall.ReplicateKey replicate = (PlannedCall.ReplicateKey) plan.calls().get(3);
    assertThat(replicate.policy()).isEqualTo(plan.policy());
    assertThat(replicate.tags()).containsKeys("Owner", "DataClassification");
    assertThat(replicate.description()).isNotBlank();

    ProvisionedKey key = provisioner.apply(plan);
    assertThat(key.replicas()).containsOnlyKeys("eu-west-1");
    KmsClient west = account.auditorKms(LocalAccount.WEST);
    KeyMetadata replica =
        west.describeKey(x -> x.keyId("alias/prod-payments-orders")).keyMetadata();
    assertThat(replica.arn()).isEqualTo(key.replicas().get("eu-west-1"));
    assertThat(west.getKeyPolicy(x -> x.keyId(replica.arn()).policyName("default")).policy())
        .satisfies(
            p ->
                assertThat(KeyPolicy.parse(p).isEquivalentTo(KeyPolicy.parse(plan.policy())))
                    .isTrue());

    account.kms.journal().clear();
    ProvisionedKey again =
        provisioner.provision(KeyBlueprint.fromYaml(Blueprints.PAYMENTS_MULTI_REGION));
    assertThat(again.created()).isFalse();
    assertThat(account.mutatingCalls()).isEmpty();
  }

  @Test
  void aCallerThePolicyWouldLockOutGetsAPlanErrorNamingTheMissingActions() {
    KeyProvisioner stranger =
        account.provisioner().caller("arn:aws:iam::123456789012:role/Pipeline").build();
    assertThatThrownBy(() -> stranger.plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS)))
        .isInstanceOf(ProvisioningPlanException.class)
        .hasMessageContaining("arn:aws:iam::123456789012:role/Pipeline")
        .hasMessageContaining("PutKeyPolicy")
        .hasMessageContaining("CreateAlias");

    ProvisioningPlan added =
        account
            .provisioner()
            .caller("arn:aws:iam::123456789012:role/Pipeline")
            .addCallerAsAdministrator(true)
            .build()
            .plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));
    assertThat(added.policy()).contains("arn:aws:iam::123456789012:role/Pipeline");
    assertThat(added.caller()).isEqualTo("arn:aws:iam::123456789012:role/Pipeline");
  }

  @Test
  void aBlueprintTheRulesFailIsStoppedBeforeAnyCall() {
    String off =
        Blueprints.PAYMENTS.replace("{enabled: true, periodDays: 365}", "{enabled: false}");
    assertThatThrownBy(() -> account.provisioner().build().plan(KeyBlueprint.fromYaml(off)))
        .isInstanceOf(InsecureBlueprintException.class)
        .hasMessageContaining("RotationDisabled");
    assertThat(account.mutatingCalls()).isEmpty();
  }

  @Test
  void anAliasOnAKeyOfAnotherSpecIsAnError() {
    KmsClient kms = account.kms(LocalAccount.EAST);
    String other =
        kms.createKey(
                x ->
                    x.keySpec("RSA_2048")
                        .keyUsage("SIGN_VERIFY")
                        .policy(
                            KeyBlueprint.fromYaml(Blueprints.PAYMENTS)
                                .validate(
                                    dev.kmsposture.blueprint.BlueprintContext.builder(
                                            dev.kmsposture.policy.AccountId.of(
                                                LocalAccount.ACCOUNT),
                                            "us-east-1")
                                        .build())
                                .policy()
                                .toJson()
                                .replace("\"kms:Encrypt\",", "\"kms:Sign\",")))
            .keyMetadata()
            .arn();
    kms.createAlias(x -> x.aliasName("alias/prod-payments-customer-pii").targetKeyId(other));

    assertThatThrownBy(
            () -> account.provisioner().build().plan(KeyBlueprint.fromYaml(Blueprints.PAYMENTS)))
        .isInstanceOf(ProvisioningPlanException.class)
        .hasMessageContaining("RSA_2048")
        .hasMessageContaining("alias/prod-payments-customer-pii");
  }

  @Test
  void theAdrRecordsWhatTheKeyProtectsItsBlastRadiusOwnerAndRunbook() {
    ProvisionedKey key =
        account.provisioner().build().provision(KeyBlueprint.fromYaml(Blueprints.PAYMENTS));
    String adr = key.adr();
    assertThat(adr)
        .contains("# ADR: KMS key prod-payments-customer-pii")
        .contains("Customer names, addresses and card tokens in the payments database")
        .contains("The payments service's customer records in us-east-1")
        .contains("Owner: team-payments")
        .contains("single-Region")
        .contains("every 365 days")
        .contains("rotate-key-on-demand")
        .contains("CloudTrail")
        .contains(key.arn());
  }
}
