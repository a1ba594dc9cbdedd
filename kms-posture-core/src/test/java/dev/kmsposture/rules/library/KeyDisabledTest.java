package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class KeyDisabledTest {
  private static final KeyDisabled RULE = new KeyDisabled();

  @Test
  void check_disabledSinceKnownDate_failsWithDwellAdvice() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/old-reports"], "metadata": {"keyState": "Disabled"},
             "keyEvents": [{"time": "2026-04-01T00:00:00Z", "eventName": "DisableKey"}]}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith("The CMK named old-reports has been disabled since 2026-04-01 (61 days)")
        .contains("the 30-day dwell has passed");
  }

  @Test
  void check_disabledWithoutEvents_fails() {
    Finding f =
        one(
            RULE,
            "{\"aliases\": [\"alias/old-reports\"], \"metadata\": {\"keyState\": \"Disabled\"}}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).startsWith("The CMK named old-reports is disabled;");
  }

  @Test
  void check_pendingImport_failsWithItsOwnMessage() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/byok"], "metadata": {"origin": "EXTERNAL", "keyState": "PendingImport"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("The CMK named byok is pending import");
  }

  @Test
  void check_enabledKey_passes() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"]}");

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).isEqualTo("The CMK named orders is Enabled");
  }

  @Test
  void check_pendingDeletion_isNotApplicable() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/orders"], "metadata": {"keyState": "PendingDeletion"}}
            """);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("KeyPendingDeletion reports it");
  }
}
