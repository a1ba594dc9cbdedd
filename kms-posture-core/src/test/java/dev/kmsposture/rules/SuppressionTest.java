package dev.kmsposture.rules;

import static dev.kmsposture.rules.EngineFixtures.info;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuppressionTest {
  private static final RuleInfo RULE = info("RotationDisabled", Severity.RECOMMENDED);
  private static final String ARN =
      "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111";
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 28);

  @Test
  void constructor_blankReason_isRejectedSayingAReasonIsRequired() {
    assertThatThrownBy(() -> new Suppression("RotationDisabled", "*", "  ", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "suppression of [RotationDisabled] on [*] has no reason; a suppression must say why the"
                + " finding is accepted");
  }

  @Test
  void constructor_invalidRuleId_isRejected() {
    assertThatThrownBy(() -> new Suppression("rotation-disabled", "*", "why", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rule id [rotation-disabled] is not valid");
  }

  @Test
  void covers_aliasPattern_matchesAnAliasOfTheKey() {
    Suppression s = new Suppression("RotationDisabled", "alias/legacy-*", "retiring", null);

    assertThat(s.covers(RULE, ARN, List.of("alias/legacy-billing"), TODAY)).isTrue();
    assertThat(s.covers(RULE, ARN, List.of("alias/orders"), TODAY)).isFalse();
  }

  @Test
  void covers_arnPattern_matchesTheKeyArn() {
    Suppression s =
        new Suppression("RotationDisabled", "arn:aws:kms:us-east-1:*:key/1111*", "why", null);

    assertThat(s.covers(RULE, ARN, List.of(), TODAY)).isTrue();
  }

  @Test
  void covers_otherRule_doesNotMatch() {
    Suppression s = new Suppression("KeyPolicyPublic", "*", "why", null);

    assertThat(s.covers(RULE, ARN, List.of(), TODAY)).isFalse();
  }

  @Test
  void covers_wildcardRule_matchesEveryRule() {
    Suppression s = new Suppression("*", "*", "sandbox account", null);

    assertThat(s.covers(RULE, ARN, List.of(), TODAY)).isTrue();
  }

  @Test
  void covers_formerRuleId_stillMatches() {
    RuleInfo renamed =
        RuleInfo.builder()
            .id(RuleId.of("AutomaticRotationDisabled"))
            .summary("Summary")
            .severity(Severity.RECOMMENDED)
            .rationale("Rationale")
            .checklistItem("Checklist")
            .remediation(RULE.remediation())
            .aliases(List.of(RuleId.of("RotationDisabled")))
            .build();
    Suppression s = new Suppression("RotationDisabled", "*", "why", null);

    assertThat(s.covers(renamed, ARN, List.of(), TODAY)).isTrue();
  }

  @Test
  void covers_afterExpiry_doesNotMatch() {
    Suppression s = new Suppression("RotationDisabled", "*", "why", LocalDate.of(2026, 11, 27));

    assertThat(s.covers(RULE, ARN, List.of(), TODAY)).isFalse();
    assertThat(s.covers(RULE, ARN, List.of(), LocalDate.of(2026, 11, 27))).isTrue();
  }

  @Test
  void covers_accountFinding_onlyWithStarPattern() {
    assertThat(
            new Suppression("RotationDisabled", "*", "why", null)
                .covers(RULE, null, List.of(), TODAY))
        .isTrue();
    assertThat(
            new Suppression("RotationDisabled", "alias/*", "why", null)
                .covers(RULE, null, List.of(), TODAY))
        .isFalse();
  }
}
