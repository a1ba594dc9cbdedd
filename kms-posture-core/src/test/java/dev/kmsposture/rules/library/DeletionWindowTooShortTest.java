package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class DeletionWindowTooShortTest {
  private static final DeletionWindowTooShort RULE = new DeletionWindowTooShort();

  @Test
  void check_sevenDayWindowFromEvent_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/legacy-billing"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-05T00:00:00Z"},
             "keyEvents": [{"time": "2026-05-29T00:00:00Z", "eventName": "ScheduleKeyDeletion",
                            "pendingWindowInDays": 7}]}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named legacy-billing was scheduled for deletion with a 7 days waiting period"
                + " (ScheduleKeyDeletion on 2026-05-29), shorter than the required 30 days");
  }

  @Test
  void check_thirtyDayWindowFromMetadata_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/legacy-billing"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-20T00:00:00Z",
                          "pendingDeletionWindowInDays": 30}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("30 days waiting period (key metadata)");
  }

  @Test
  void check_windowUnknown_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/legacy-billing"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-20T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .contains("CloudTrail key events of the CMK named legacy-billing were not collected")
        .contains("KMS key metadata does not carry the chosen waiting period");
  }

  @Test
  void check_keyNotPendingDeletion_isNotApplicable() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"]}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).isEqualTo("The CMK named orders is not pending deletion");
  }
}
