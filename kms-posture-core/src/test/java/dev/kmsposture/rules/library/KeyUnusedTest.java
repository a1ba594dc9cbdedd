package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class KeyUnusedTest {
  private static final KeyUnused RULE = new KeyUnused();

  @Test
  void check_lastUsedLongAgo_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/reports"], "lastUsage": {"lastUsedAt": "2026-01-01T00:00:00Z",
             "operation": "GenerateDataKey", "trackingStartDate": "2025-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named reports was last used on 2026-01-01 (GenerateDataKey), 151 days ago"
                + " (more than 90)");
  }

  @Test
  void check_neverUsedSinceCreation_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/reports"], "lastUsage": {"trackingStartDate": "2025-01-01T00:00:05Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("reports has never been used since it was created on 2025-01-01, 516 days ago");
  }

  @Test
  void check_notUsedSinceRecentTrackingStart_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/reports"], "lastUsage": {"trackingStartDate": "2026-04-15T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("its use before then is unknown");
  }

  @Test
  void check_notUsedSinceOldTrackingStart_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/reports"], "lastUsage": {"trackingStartDate": "2026-01-15T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("has not been used since usage tracking started on 2026-01-15");
  }

  @Test
  void check_usedRecently_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/reports"], "lastUsage": {"lastUsedAt": "2026-05-30T00:00:00Z",
             "operation": "Decrypt", "trackingStartDate": "2025-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("reports was last used on 2026-05-30 (Decrypt), 2 days ago");
  }

  @Test
  void check_lastUsageNotCollected_isUnknown() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/reports\"]}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .isEqualTo("The last usage of the CMK named reports was not collected in the snapshot");
  }

  @Test
  void check_disabledKey_isNotApplicable() {
    Finding f =
        one(RULE, "{\"aliases\": [\"alias/reports\"], \"metadata\": {\"keyState\": \"Disabled\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("reports is Disabled");
  }
}
