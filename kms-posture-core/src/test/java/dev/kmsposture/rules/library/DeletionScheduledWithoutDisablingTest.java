package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class DeletionScheduledWithoutDisablingTest {
  private static final DeletionScheduledWithoutDisabling RULE =
      new DeletionScheduledWithoutDisabling();

  private static final String PENDING =
      """
      "aliases": ["alias/legacy-billing"],
      "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-20T00:00:00Z"}
      """;

  @Test
  void check_scheduledWhileEnabled_fails() {
    Finding f =
        one(
            RULE,
            "{"
                + PENDING
                + """
                , "keyEvents": [
                  {"time": "2026-03-01T00:00:00Z", "eventName": "DisableKey"},
                  {"time": "2026-04-01T00:00:00Z", "eventName": "EnableKey"},
                  {"time": "2026-05-21T00:00:00Z", "eventName": "ScheduleKeyDeletion",
                   "pendingWindowInDays": 30}]}
                """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named legacy-billing was scheduled for deletion on 2026-05-21 without being"
                + " disabled first");
  }

  @Test
  void check_shortDwellWithDisabledExceptions_failsNamingTheDependents() {
    Finding f =
        one(
            RULE,
            "{"
                + PENDING
                + """
                , "keyEvents": [
                  {"time": "2026-05-11T00:00:00Z", "eventName": "DisableKey"},
                  {"time": "2026-05-15T08:00:00Z", "eventName": "Decrypt",
                   "errorCode": "DisabledException",
                   "principalArn": "arn:aws:iam::111122223333:role/billing-batch"},
                  {"time": "2026-05-21T00:00:00Z", "eventName": "ScheduleKeyDeletion",
                   "pendingWindowInDays": 30}]}
                """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("it was disabled on 2026-05-11, only 10 days before (at least 30 required)")
        .contains(
            "1 call failed with DisabledException while it was disabled (the last: Decrypt on"
                + " 2026-05-15 by arn:aws:iam::111122223333:role/billing-batch)");
  }

  @Test
  void check_disabledQuietlyForFortyDays_passes() {
    Finding f =
        one(
            RULE,
            "{"
                + PENDING
                + """
                , "keyEvents": [
                  {"time": "2026-04-11T00:00:00Z", "eventName": "DisableKey"},
                  {"time": "2026-05-21T00:00:00Z", "eventName": "ScheduleKeyDeletion",
                   "pendingWindowInDays": 30}]}
                """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message())
        .contains("legacy-billing was disabled on 2026-04-11, 40 days before deletion");
  }

  @Test
  void check_noKeyEvents_isUnknown() {
    Finding f = one(RULE, "{" + PENDING + "}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .contains(
            "KMS key metadata carries neither the chosen window nor when the key was disabled");
  }

  @Test
  void check_keyNotPendingDeletion_isNotApplicable() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"]}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("orders is not pending deletion");
  }
}
