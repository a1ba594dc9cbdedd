package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class UnexplainedKeyTest {
  private static final UnexplainedKey RULE = new UnexplainedKey();

  @Test
  void check_noAliasNoOwnerNoUse_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": [], "tags": {"Team": "x"},
             "lastUsage": {"trackingStartDate": "2025-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "Nobody can explain the CMK "
                + Fixtures.ARN
                + " (it has no alias): no alias, no owner tag, no recorded use");
  }

  @Test
  void check_ownerTagOnly_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": [], "tags": {"owner": "team-payments"},
             "lastUsage": {"trackingStartDate": "2025-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("it has an owner tag (team-payments)");
  }

  @Test
  void check_unexplainedSoFarButUsageUnreadable_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": [], "tags": {},
             "unreadable": {"LAST_USAGE": "AccessDeniedException: kms:GetKeyLastUsage"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .contains("its last usage is not in the snapshot")
        .contains("last_usage could not be read: AccessDeniedException");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    Finding f =
        one(RULE, "{\"aliases\": [\"alias/aws/s3\"], \"metadata\": {\"keyManager\": \"AWS\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("aws/s3");
  }
}
