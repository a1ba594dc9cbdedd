package dev.kmsposture.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.RuleId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyBlueprintTest {
  static final String REFERENCE =
      """
      alias: alias/prod-payments-customer-pii
      description: Encrypts customer PII in the payments service database
      tags: {Owner: team-payments, Environment: prod, Purpose: customer-pii-encryption, DataClassification: restricted}
      protects: customer names, addresses and card tokens in the payments database
      blastRadius: the payments service's customer records in us-east-1
      policy:
        account: "123456789012"
        administrators: ["arn:aws:iam::123456789012:role/SecurityAdmin"]
        serviceUsers:
          - {principals: ["arn:aws:iam::123456789012:role/PaymentsApp"], services: [rds], regions: [us-east-1]}
        auditors: ["arn:aws:iam::123456789012:role/Audit"]
        breakGlass: none
      rotation: {enabled: true, periodDays: 365}
      """;

  static BlueprintContext context() {
    return BlueprintContext.builder(AccountId.of("123456789012"), "us-east-1")
        .caller("arn:aws:iam::123456789012:role/SecurityAdmin")
        .now(Instant.parse("2026-12-01T00:00:00Z"))
        .build();
  }

  @Test
  void theReferenceBlueprintReadsWithItsDefaultsAndPassesTheRules() {
    KeyBlueprint b = KeyBlueprint.fromYaml(REFERENCE);

    assertThat(b.alias().value()).isEqualTo("alias/prod-payments-customer-pii");
    assertThat(b.alias().environment()).isEqualTo("prod");
    assertThat(b.tags()).containsOnlyKeys("Owner", "Environment", "Purpose", "DataClassification");
    assertThat(b.rotation()).isEqualTo(Rotation.every(365));
    assertThat(b.keyKind().keySpec()).isEqualTo("SYMMETRIC_DEFAULT");
    assertThat(b.deletionWindowDays()).isEqualTo(30);
    assertThat(b.multiRegion()).isEmpty();

    BlueprintValidation v = b.validate(context());
    assertThat(v.passed()).as("%s", v.blocking()).isTrue();
    String policy = v.policy().toJson();
    KeyPolicy parsed = KeyPolicy.parse(policy);
    assertThat(parsed.toJson()).doesNotContain(":root\"").contains("kms:ViaService");
  }

  @Test
  void jsonAndYamlGiveTheSameBlueprint() {
    KeyBlueprint yaml = KeyBlueprint.fromYaml(REFERENCE);
    KeyBlueprint json =
        KeyBlueprint.fromJson(
            """
            {"alias":"alias/prod-payments-customer-pii",
             "description":"Encrypts customer PII in the payments service database",
             "tags":{"Owner":"team-payments","Environment":"prod","Purpose":"customer-pii-encryption","DataClassification":"restricted"},
             "protects":"customer names, addresses and card tokens in the payments database",
             "blastRadius":"the payments service's customer records in us-east-1",
             "policy":{"account":"123456789012",
               "administrators":["arn:aws:iam::123456789012:role/SecurityAdmin"],
               "serviceUsers":[{"principals":["arn:aws:iam::123456789012:role/PaymentsApp"],"services":["rds"],"regions":["us-east-1"]}],
               "auditors":["arn:aws:iam::123456789012:role/Audit"],"breakGlass":"none"}}
            """);
    assertThat(json.alias()).isEqualTo(yaml.alias());
    assertThat(json.tags()).isEqualTo(yaml.tags());
    assertThat(json.rotation()).isEqualTo(yaml.rotation());
    assertThat(json.validate(context()).policy().toJson())
        .isEqualTo(yaml.validate(context()).policy().toJson());
  }

  @Test
  void anUnknownFieldIsNamedWithWhatIsAccepted() {
    assertThatThrownBy(() -> KeyBlueprint.fromYaml(REFERENCE + "rotaton: {enabled: true}\n"))
        .isInstanceOf(BlueprintParseException.class)
        .hasMessageContaining("rotaton")
        .hasMessageContaining("rotation");
  }

  @Test
  void aMissingRequiredTagIsAnError() {
    String noOwner = REFERENCE.replace("Owner: team-payments, ", "");
    assertThatThrownBy(() -> KeyBlueprint.fromYaml(noOwner))
        .isInstanceOf(BlueprintParseException.class)
        .hasMessageContaining("/tags")
        .hasMessageContaining("Owner");
  }

  @Test
  void aClassificationOutsideTheVocabularyIsAnError() {
    assertThatThrownBy(() -> KeyBlueprint.fromYaml(REFERENCE.replace("restricted}", "top-secret}")))
        .isInstanceOf(BlueprintParseException.class)
        .hasMessageContaining("top-secret")
        .hasMessageContaining("restricted");
  }

  @Test
  void theAliasEnvironmentMustAgreeWithTheTag() {
    assertThatThrownBy(
            () -> KeyBlueprint.fromYaml(REFERENCE.replace("Environment: prod", "Environment: dev")))
        .isInstanceOf(BlueprintParseException.class)
        .hasMessageContaining("/tags/Environment");
  }

  @Test
  void anAliasBreakingAwsRulesIsAnError() {
    assertThatThrownBy(() -> AliasName.of("alias/aws/prod-payments-pii"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AliasName.of("prod-payments-pii"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alias/");
    assertThatThrownBy(() -> AliasName.of("alias/prod payments"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rotationOfAKeyThatCannotRotateIsAnErrorNotASilentSkip() {
    String asymmetric =
        REFERENCE.replace("rotation:", "keySpec: RSA_2048\nkeyUsage: SIGN_VERIFY\nrotation:");
    assertThatThrownBy(() -> KeyBlueprint.fromYaml(asymmetric))
        .isInstanceOf(BlueprintParseException.class)
        .hasMessageContaining("/rotation/enabled")
        .hasMessageContaining("RSA_2048");
  }

  @Test
  void aKeyThatCannotRotateDefaultsToRotationOff() {
    String asymmetric =
        REFERENCE
                .replace("rotation: {enabled: true, periodDays: 365}\n", "")
                .replace("serviceUsers:\n", "serviceUsers: []\n  x:\n")
                .replace(
                    "  x:\n    - {principals: [\"arn:aws:iam::123456789012:role/PaymentsApp\"], services: [rds], regions: [us-east-1]}\n",
                    "")
            + "keySpec: ECC_NIST_P256\nkeyUsage: SIGN_VERIFY\n";
    KeyBlueprint b = KeyBlueprint.fromYaml(asymmetric);
    assertThat(b.rotation().enabled()).isFalse();
  }

  @Test
  void multiRegionNeedsAReason() {
    assertThatThrownBy(
            () -> KeyBlueprint.fromYaml(REFERENCE + "multiRegion: {replicas: [eu-west-1]}\n"))
        .isInstanceOf(BlueprintParseException.class)
        .hasMessageContaining("/multiRegion");
    KeyBlueprint b =
        KeyBlueprint.fromYaml(
            REFERENCE
                + "multiRegion: {replicas: [eu-west-1], reason: Aurora global database failover}\n");
    assertThat(b.multiRegion()).isPresent();
    assertThat(b.multiRegion().orElseThrow().replicas()).containsExactly("eu-west-1");
  }

  @Test
  void deletionWindowIsSevenToThirtyDays() {
    qt().forAll(integers().between(-5, 40))
        .checkAssert(
            days -> {
              String text = REFERENCE + "deletionWindowDays: " + days + "\n";
              if (days >= 7 && days <= 30) {
                assertThat(KeyBlueprint.fromYaml(text).deletionWindowDays()).isEqualTo(days);
              } else {
                assertThatThrownBy(() -> KeyBlueprint.fromYaml(text))
                    .isInstanceOf(BlueprintParseException.class)
                    .hasMessageContaining("/deletionWindowDays");
              }
            });
  }

  @Test
  void rotationPeriodOutsideWhatKmsAcceptsIsAnError() {
    qt().forAll(integers().between(1, 4000))
        .checkAssert(
            days -> {
              String text = REFERENCE.replace("periodDays: 365", "periodDays: " + days);
              if (days >= 90 && days <= 2560) {
                assertThat(KeyBlueprint.fromYaml(text).rotation().periodDays()).isEqualTo(days);
              } else {
                assertThatThrownBy(() -> KeyBlueprint.fromYaml(text))
                    .isInstanceOf(BlueprintParseException.class)
                    .hasMessageContaining("/rotation");
              }
            });
  }

  @Test
  void rotationOffIsStoppedByTheRulesUnlessAnOverrideWithAReasonLetsItThrough() {
    String off = REFERENCE.replace("{enabled: true, periodDays: 365}", "{enabled: false}");
    BlueprintValidation v = KeyBlueprint.fromYaml(off).validate(context());
    assertThat(v.passed()).isFalse();
    assertThat(v.blocking()).extracting(Finding::ruleId).contains(RuleId.of("RotationDisabled"));
    assertThatThrownBy(v::requirePassed)
        .isInstanceOf(InsecureBlueprintException.class)
        .hasMessageContaining("RotationDisabled");

    String overridden =
        off
            + "insecureOverrides:\n"
            + "  - {rule: RotationDisabled, reason: key material rotated by re-encryption every quarter}\n";
    BlueprintValidation ok = KeyBlueprint.fromYaml(overridden).validate(context());
    assertThat(ok.passed()).isTrue();
    assertThat(ok.overridden()).extracting(Finding::ruleId).contains(RuleId.of("RotationDisabled"));
    assertThat(ok.overridesApplied())
        .singleElement()
        .satisfies(o -> assertThat(o.reason()).contains("quarter"));
  }

  @Test
  void anOverrideNeedsAKnownRuleAndAReason() {
    assertThatThrownBy(
            () ->
                KeyBlueprint.fromYaml(
                    REFERENCE + "insecureOverrides:\n  - {rule: NoSuchRule, reason: because}\n"))
        .isInstanceOf(BlueprintParseException.class)
        .hasMessageContaining("NoSuchRule");
    assertThatThrownBy(
            () ->
                KeyBlueprint.fromYaml(
                    REFERENCE + "insecureOverrides:\n  - {rule: RotationDisabled}\n"))
        .isInstanceOf(BlueprintParseException.class)
        .hasMessageContaining("reason");
  }
}
