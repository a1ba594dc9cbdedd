package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostureConfigTest {

  @Test
  void defaults_haveTheDocumentedValues() {
    PostureConfig d = PostureConfig.defaults();

    assertThat(d.requiredTags())
        .containsExactly("Owner", "Environment", "Purpose", "DataClassification");
    assertThat(d.maxRotationPeriodDays()).isEqualTo(365);
    assertThat(d.unusedDays()).isEqualTo(90);
    assertThat(d.importExpiryWarningDays()).isEqualTo(30);
    assertThat(d.keyMaterialMaxAgeDays()).isEqualTo(365);
    assertThat(d.minDeletionWindowDays()).isEqualTo(30);
    assertThat(d.disabledBeforeDeletionDays()).isEqualTo(30);
    assertThat(d.productionNameTokens()).contains("prod", "pii", "payment");
    assertThat(d.productionTags().get("Environment")).containsExactly("prod", "production");
    assertThat(d.multiRegionJustificationTag()).isEqualTo("MultiRegionJustification");
    assertThat(d.auditRoleArns()).isEmpty();
    assertThat(d.suppressions()).isEmpty();
  }

  @Test
  void parse_yamlOverride_changesOnlyTheGivenSettings() {
    PostureConfig c =
        PostureConfig.parse(
            """
            unusedDays: 30
            requiredTags: [Owner, CostCenter]
            trustedAccounts: ['444455556666']
            """);

    assertThat(c.unusedDays()).isEqualTo(30);
    assertThat(c.requiredTags()).containsExactly("Owner", "CostCenter");
    assertThat(c.trustedAccounts()).containsExactly("444455556666");
    assertThat(c.maxRotationPeriodDays()).isEqualTo(365);
    assertThat(c.productionNameTokens()).isEqualTo(PostureConfig.defaults().productionNameTokens());
  }

  @Test
  void parse_json_isAcceptedToo() {
    PostureConfig c = PostureConfig.parse("{\"maxRotationPeriodDays\": 180}");

    assertThat(c.maxRotationPeriodDays()).isEqualTo(180);
  }

  @Test
  void parse_emptyDocument_givesDefaults() {
    assertThat(PostureConfig.parse("")).isEqualTo(PostureConfig.defaults());
  }

  @Test
  void parse_commentsOnly_givesDefaults() {
    assertThat(PostureConfig.parse("# nothing to change yet\n"))
        .isEqualTo(PostureConfig.defaults());
  }

  @Test
  void parse_suppressionWithExpiry_isRead() {
    PostureConfig c =
        PostureConfig.parse(
            """
            suppressions:
              - ruleId: RotationDisabled
                keyPattern: alias/legacy-*
                reason: retired in January
                expires: 2027-01-31
            """);

    assertThat(c.suppressions())
        .containsExactly(
            new Suppression(
                "RotationDisabled",
                "alias/legacy-*",
                "retired in January",
                LocalDate.of(2027, 1, 31)));
  }

  @Test
  void parse_unknownSetting_namesItAndListsTheKnownOnes() {
    assertThatThrownBy(() -> PostureConfig.parse("unusedDayz: 30\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "unknown configuration setting [unusedDayz] at /unusedDayz; known settings: [")
        .hasMessageContaining("unusedDays");
  }

  @Test
  void parse_rotationPeriodOutOfRange_saysWhatKmsAccepts() {
    assertThatThrownBy(() -> PostureConfig.parse("maxRotationPeriodDays: 30\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "maxRotationPeriodDays [30] is out of range; KMS rotation periods are 90 to 2560 days");
  }

  @Test
  void parse_deletionWindowOutOfRange_saysWhatKmsAccepts() {
    assertThatThrownBy(() -> PostureConfig.parse("minDeletionWindowDays: 3\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "minDeletionWindowDays [3] is out of range; KMS waiting periods are 7 to 30 days");
  }

  @Test
  void parse_nonPositiveThreshold_isRejected() {
    assertThatThrownBy(() -> PostureConfig.parse("unusedDays: 0\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unusedDays [0] must be positive");
  }

  @Test
  void parse_suppressionWithoutReason_isRejected() {
    assertThatThrownBy(
            () ->
                PostureConfig.parse(
                    "suppressions:\n  - ruleId: RotationDisabled\n    keyPattern: '*'\n    reason: ''\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no reason");
  }

  @Test
  void parse_wrongType_namesTheSetting() {
    assertThatThrownBy(() -> PostureConfig.parse("unusedDays: lots\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unusedDays");
  }

  @Test
  void parse_notAMapping_isRejected() {
    assertThatThrownBy(() -> PostureConfig.parse("- unusedDays\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("configuration at /: expected a mapping of settings, got a list");
  }

  @Test
  void parse_malformedYaml_isRejected() {
    assertThatThrownBy(() -> PostureConfig.parse("unusedDays: [\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("configuration is not valid YAML or JSON");
  }

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose: null lists take the defaults
  void constructor_nullLists_takeDefaults() {
    PostureConfig c =
        new PostureConfig(
            null, null, null, null, 365, 90, 30, 365, 30, 30, null, null, null, null, null, null);

    assertThat(c).isEqualTo(PostureConfig.defaults());
    assertThat(c.allowedRegions()).isEqualTo(List.of());
  }

  @Test
  void builder_nothingSet_givesTheDefaults() {
    assertThat(PostureConfig.builder().build()).isEqualTo(PostureConfig.defaults());
  }

  @Test
  void toBuilder_changedSetting_keepsTheOthers() {
    // given
    PostureConfig base = PostureConfig.builder().trustedAccounts(List.of("444455556666")).build();

    // when
    PostureConfig changed = base.toBuilder().unusedDays(30).build();

    // then
    assertThat(changed.unusedDays()).isEqualTo(30);
    assertThat(changed.trustedAccounts()).containsExactly("444455556666");
    assertThat(changed.toBuilder().unusedDays(90).build()).isEqualTo(base);
  }

  @Test
  void builder_rotationPeriodOutOfRange_isRejectedWithTheRange() {
    assertThatThrownBy(() -> PostureConfig.builder().maxRotationPeriodDays(30).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxRotationPeriodDays [30] is out of range; KMS rotation periods are 90 to 2560 days");
  }

  @Test
  void builder_blankRequiredTag_isRejected() {
    assertThatThrownBy(() -> PostureConfig.builder().requiredTags(List.of("Owner", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requiredTags contains a blank or null value [ ]; expected non-blank texts");
  }

  @Test
  void builder_blankJustificationTag_isRejected() {
    assertThatThrownBy(() -> PostureConfig.builder().multiRegionJustificationTag(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "multiRegionJustificationTag [] is blank; expected a tag key such as"
                + " MultiRegionJustification");
  }
}
