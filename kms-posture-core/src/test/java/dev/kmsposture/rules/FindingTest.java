package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FindingTest {
  private static final Remediation FIX =
      new Remediation("Enable rotation", "aws kms enable-key-rotation", "kms.enableKeyRotation");

  private static Finding.Builder complete() {
    return Finding.builder()
        .ruleId(RuleId.of("RotationDisabled"))
        .severity(Severity.CRITICAL)
        .status(Status.FAIL)
        .keyArn("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        .subject("alias/prod-app")
        .message("Rotation is disabled on the CMK named prod-app")
        .remediation(FIX);
  }

  @Test
  void build_requiredPartsOnly_defaultsToNormalAndActive() {
    // when
    Finding f = complete().build();

    // then
    assertThat(f.priority()).isEqualTo(Finding.Priority.NORMAL);
    assertThat(f.priorityReasons()).isEmpty();
    assertThat(f.disposition()).isEqualTo(Finding.Disposition.ACTIVE);
    assertThat(f.dispositionNote()).isNull();
    assertThat(f.location()).isNull();
    assertThat(f.item()).isNull();
  }

  @Test
  void build_everyPart_equalsTheFindingItWasReadFrom() {
    // given
    Finding f =
        complete()
            .item("grant-1")
            .priority(Finding.Priority.ELEVATED)
            .priorityReasons(List.of("its alias says prod"))
            .disposition(Finding.Disposition.SUPPRESSED)
            .dispositionNote("reviewed")
            .build();

    // when
    Finding copy =
        Finding.builder()
            .ruleId(f.ruleId())
            .severity(f.severity())
            .status(f.status())
            .keyArn(f.keyArn())
            .subject(f.subject())
            .message(f.message())
            .location(f.location())
            .item(f.item())
            .remediation(f.remediation())
            .priority(f.priority())
            .priorityReasons(f.priorityReasons())
            .disposition(f.disposition())
            .dispositionNote(f.dispositionNote())
            .build();

    // then
    assertThat(copy).isEqualTo(f);
  }

  @Test
  void build_withoutRuleId_saysWhichPartIsMissing() {
    assertThatThrownBy(
            () ->
                Finding.builder()
                    .severity(Severity.CRITICAL)
                    .status(Status.FAIL)
                    .subject("alias/a")
                    .message("m")
                    .remediation(FIX)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("finding has no rule id; set it with ruleId(...) before build()");
  }

  @Test
  void build_withoutRemediation_saysWhichPartIsMissing() {
    assertThatThrownBy(
            () ->
                Finding.builder()
                    .ruleId(RuleId.of("X"))
                    .severity(Severity.CRITICAL)
                    .status(Status.FAIL)
                    .subject("alias/a")
                    .message("m")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("finding has no remediation; set it with remediation(...) before build()");
  }

  @Test
  void message_blank_isRejected() {
    assertThatThrownBy(() -> Finding.builder().message("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a finding needs a message");
  }
}
