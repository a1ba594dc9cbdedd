package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class RotationPeriodTooLongTest {
  private static final RotationPeriodTooLong RULE = new RotationPeriodTooLong();

  @Test
  void check_periodAboveMaximum_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-orders"],
             "rotation": {"enabled": true, "rotationPeriodInDays": 730}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named prod-orders rotates every 730 days, longer than the allowed 365 days");
  }

  @Test
  void check_periodAboveConfiguredMaximum_fails() {
    Finding f =
        one(
            RULE,
            Fixtures.config("maxRotationPeriodDays: 90"),
            """
            {"aliases": ["alias/prod-orders"], "rotation": {"enabled": true, "rotationPeriodInDays": 365}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("rotates every 365 days").contains("90 days");
  }

  @Test
  void check_defaultPeriod_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-orders"],
             "rotation": {"enabled": true, "rotationPeriodInDays": 365,
                          "nextRotationDate": "2026-09-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("The CMK named prod-orders rotates every 365 days");
  }

  @Test
  void check_noPeriodReported_isUnknownNeverPass() {
    // GetKeyRotationStatus returns the period whenever rotation is on; without it (an emulator
    // left it out) the period could be up to 2560 days.
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-orders"],
             "rotation": {"enabled": true, "nextRotationDate": "2026-09-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .isEqualTo(
            "The rotation status of the CMK named prod-orders reports no rotation period, so"
                + " whether it rotates within the allowed 365 days cannot be told");
  }

  @Test
  void check_nextRotationLongPast_failsAsStalled() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-orders"],
             "rotation": {"enabled": true, "rotationPeriodInDays": 180,
                          "nextRotationDate": "2026-05-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "Rotation appears stalled on the CMK named prod-orders: its next rotation date"
                + " 2026-05-01 is 31 days in the past");
  }

  @Test
  void check_nextRotationFewDaysPast_passes() {
    Finding f =
        one(
            RULE,
            """
            {"rotation": {"enabled": true, "rotationPeriodInDays": 365,
                          "nextRotationDate": "2026-05-28T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void check_rotationDisabled_isNotApplicable() {
    Finding f =
        one(RULE, "{\"aliases\": [\"alias/prod-orders\"], \"rotation\": {\"enabled\": false}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("disabled on the CMK named prod-orders");
  }

  @Test
  void check_hmacKey_isNotApplicable() {
    Finding f =
        one(
            RULE,
            "{\"metadata\": {\"keySpec\": \"HMAC_512\", \"keyUsage\": \"GENERATE_VERIFY_MAC\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("HMAC key");
  }

  @Test
  void check_rotationUnreadable_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-orders"], "unreadable": {"ROTATION": "ThrottlingException"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("could not be read: ThrottlingException");
  }
}
