package dev.kmsposture.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.leastprivilege.RoleFile;
import dev.kmsposture.policy.KeyPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;

/** Remediation of a key made with the AWS defaults, against the embedded KMS with enforcement. */
class RemediatorTest {
  static final String ROLES =
      """
      {"account": "123456789012",
       "administrators": ["arn:aws:iam::123456789012:role/SecurityAdmin"],
       "serviceUsers": [{"principals": ["arn:aws:iam::123456789012:role/PaymentsApp"],
                         "services": ["rds"], "regions": ["us-east-1"]}],
       "auditors": ["arn:aws:iam::123456789012:role/Audit"],
       "breakGlass": "none"}
      """;

  private final LocalAccount account = LocalAccount.start();
  private final KmsClient kms = account.kms(LocalAccount.EAST);

  @AfterEach
  void close() {
    account.close();
  }

  private Remediator.Builder remediator(String roles) {
    return Remediator.builder()
        .kmsClient(kms)
        .stsClient(account.sts())
        .cloudTrailClient(account.cloudTrail(LocalAccount.EAST))
        .tagValue("Owner", "team-payments")
        .tagValue("Environment", "prod")
        .tagValue("Purpose", "customer-pii-encryption")
        .tagValue("DataClassification", "restricted")
        .alias("alias/prod-payments-legacy")
        .replacementPolicy(() -> RoleFile.parse(roles, "roles.json").toBuilder());
  }

  @Test
  void aDefaultKeyIsFixedAndTheCallersLosingAccessAreListedFirst() {
    String key = kms.createKey(x -> x.description("legacy payments key")).keyMetadata().arn();
    assertThat(kms.getKeyPolicy(x -> x.keyId(key).policyName("default")).policy())
        .contains(":root");
    account
        .kmsAs(LocalAccount.INTERN_KEY, LocalAccount.EAST)
        .encrypt(x -> x.keyId(key).plaintext(SdkBytes.fromUtf8String("x")));
    account.auditorKms(LocalAccount.EAST).describeKey(x -> x.keyId(key));

    Remediator remediator = remediator(ROLES).build();
    RemediationPlan plan = remediator.plan(key);

    assertThat(plan.calls())
        .extracting(PlannedCall::operation)
        .containsExactly("PutKeyPolicy", "EnableKeyRotation", "TagResource", "CreateAlias");
    assertThat(plan.calls().get(1).parameters()).containsEntry("RotationPeriodInDays", "365");
    assertThat(plan.losingAccess())
        .contains("arn:aws:sts::123456789012:assumed-role/Intern/intern kms:Encrypt")
        .noneMatch(l -> l.contains("Audit"));
    assertThat(plan.caller()).isEqualTo(LocalAccount.PROVISIONER_SESSION);
    assertThat(plan.toString()).contains("loses access: ");

    RemediationResult result = remediator.apply(plan);
    assertThat(result.complete()).as("%s", result.problems()).isTrue();
    assertThat(result.verified()).hasSize(4);
    assertThat(
            KeyPolicy.parse(kms.getKeyPolicy(x -> x.keyId(key).policyName("default")).policy())
                .toJson())
        .doesNotContain(":root");
    assertThat(remediator.plan(key).isEmpty()).isTrue();
  }

  @Test
  void aReplacementThatWouldLockTheCallerOutIsRefused() {
    String key = kms.createKey(x -> x.description("legacy")).keyMetadata().arn();
    String other = ROLES.replace("role/SecurityAdmin", "role/OtherAdmin");
    assertThatThrownBy(() -> remediator(other).build().plan(key))
        .isInstanceOf(ProvisioningPlanException.class)
        .hasMessageContaining("PutKeyPolicy")
        .hasMessageContaining(LocalAccount.PROVISIONER_SESSION);
  }

  @Test
  void whatCannotBeFixedWithoutAValueIsNoted() {
    String key = kms.createKey(x -> x.description("legacy")).keyMetadata().arn();
    RemediationPlan plan =
        Remediator.builder().kmsClient(kms).stsClient(account.sts()).build().plan(key);
    assertThat(plan.calls())
        .extracting(PlannedCall::operation)
        .containsExactly("EnableKeyRotation");
    assertThat(plan.notes())
        .anySatisfy(n -> assertThat(n).contains("tag Owner is missing"))
        .anySatisfy(n -> assertThat(n).contains("no alias"));
  }
}
