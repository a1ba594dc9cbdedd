package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class KeyMaterialTooOldTest {
  private static final KeyMaterialTooOld RULE = new KeyMaterialTooOld();

  @Test
  void check_oldSigningKey_failsWithAgeAndReKeyFix() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/release-signing"],
             "metadata": {"keySpec": "ECC_NIST_P256", "keyUsage": "SIGN_VERIFY",
                          "creationDate": "2024-06-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("The key material of the CMK named release-signing is 730 days old")
        .contains("created on 2024-06-01")
        .contains("create a new key, move the alias to it");
  }

  @Test
  void check_youngHmacKey_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/webhook-mac"],
             "metadata": {"keySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC",
                          "creationDate": "2026-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("webhook-mac is 151 days old");
  }

  @Test
  void check_importedKeyRotatedOnDemandRecently_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/byok-payments"],
             "metadata": {"origin": "EXTERNAL", "creationDate": "2023-01-01T00:00:00Z"},
             "rotations": [
               {"rotationDate": "2024-01-01T00:00:00Z", "rotationType": "ON_DEMAND",
                "keyMaterialId": "a1", "keyMaterialState": "NON_CURRENT"},
               {"rotationDate": "2026-03-01T00:00:00Z", "rotationType": "ON_DEMAND",
                "keyMaterialId": "b2", "keyMaterialState": "CURRENT"}]}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("last rotated on 2026-03-01");
  }

  @Test
  void check_oldImportedKey_failsWithOnDemandFix() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/byok-payments"],
             "metadata": {"origin": "EXTERNAL", "creationDate": "2024-01-01T00:00:00Z"},
             "rotations": []}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("byok-payments")
        .contains("import new key material and rotate it on demand");
  }

  @Test
  void check_oldImportedKeyWithoutHistory_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"metadata": {"origin": "EXTERNAL", "creationDate": "2024-01-01T00:00:00Z"},
             "unreadable": {"ROTATIONS": "AccessDeniedException"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("rotation history").contains("AccessDeniedException");
  }

  @Test
  void check_automaticallyRotatingKey_isNotApplicable() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/prod-orders\"]}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("prod-orders can rotate automatically");
  }
}
