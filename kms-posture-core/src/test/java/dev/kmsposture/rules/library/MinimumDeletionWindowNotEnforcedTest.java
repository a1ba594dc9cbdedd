package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class MinimumDeletionWindowNotEnforcedTest {
  private static final MinimumDeletionWindowNotEnforced RULE =
      new MinimumDeletionWindowNotEnforced();

  private static final String ROOT =
      "{\\\"Sid\\\":\\\"Root\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":"
          + "\\\"arn:aws:iam::111122223333:root\\\"},\\\"Action\\\":\\\"kms:*\\\","
          + "\\\"Resource\\\":\\\"*\\\"}";

  private static String policy(String... statements) {
    return "{\"aliases\": [\"alias/orders\"], \"policy\": \"{\\\"Version\\\":\\\"2012-10-17\\\","
        + "\\\"Statement\\\":["
        + String.join(",", statements)
        + "]}\"}";
  }

  private static String deny(String operator, String value) {
    return "{\\\"Sid\\\":\\\"DenyShortWindow\\\",\\\"Effect\\\":\\\"Deny\\\",\\\"Principal\\\":\\\"*\\\","
        + "\\\"Action\\\":\\\"kms:ScheduleKeyDeletion\\\",\\\"Resource\\\":\\\"*\\\","
        + "\\\"Condition\\\":{\\\""
        + operator
        + "\\\":{\\\"kms:ScheduleKeyDeletionPendingWindowInDays\\\":\\\""
        + value
        + "\\\"}}}";
  }

  @Test
  void check_rootStatementOnly_fails() {
    Finding f = one(RULE, policy(ROOT));

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The key policy of the CMK named orders does not enforce a minimum deletion waiting"
                + " period of 30 days (kms:ScheduleKeyDeletionPendingWindowInDays)");
  }

  @Test
  void check_denyBelowThirty_passes() {
    Finding f = one(RULE, policy(ROOT, deny("NumericLessThan", "30")));

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message())
        .contains("denies scheduling deletion with a waiting period under 30 days");
    assertThat(f.location()).isNotNull();
  }

  @Test
  void check_denyAtOrBelowTwentyNine_passes() {
    Finding f = one(RULE, policy(ROOT, deny("NumericLessThanEquals", "29")));

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void check_denyBelowFourteen_fails() {
    Finding f = one(RULE, policy(ROOT, deny("NumericLessThan", "14")));

    assertThat(f.status()).isEqualTo(Status.FAIL);
  }

  @Test
  void check_policyUnreadable_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/orders"], "unreadable": {"POLICY": "AccessDeniedException"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .isEqualTo(
            "The key policy of the CMK named orders could not be read: AccessDeniedException");
  }

  @Test
  void check_policyThatDoesNotParse_isUnknown() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"], \"policy\": \"not json\"}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .startsWith(
            "The key policy of the CMK named orders could not be checked: the key policy"
                + " does not parse");
  }

  @Test
  void check_keyPendingDeletion_isNotApplicable() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/orders"], "metadata": {"keyState": "PendingDeletion"}}
            """);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("orders is already pending deletion");
  }
}
