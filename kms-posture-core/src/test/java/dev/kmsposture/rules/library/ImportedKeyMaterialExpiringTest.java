package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class ImportedKeyMaterialExpiringTest {
  private static final ImportedKeyMaterialExpiring RULE = new ImportedKeyMaterialExpiring();

  @Test
  void check_expiresInTenDays_failsWithDaysLeft() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/byok-payments"],
             "metadata": {"origin": "EXTERNAL", "expirationModel": "KEY_MATERIAL_EXPIRES",
                          "validTo": "2026-06-11T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "The imported key material of the CMK named byok-payments expires on 2026-06-11, 10"
                + " days from now");
  }

  @Test
  void check_currentMaterialInHistoryExpiresSoon_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/byok-payments"],
             "metadata": {"origin": "EXTERNAL", "expirationModel": "KEY_MATERIAL_EXPIRES"},
             "rotations": [{"keyMaterialId": "b2", "keyMaterialState": "CURRENT",
                            "importState": "IMPORTED", "validTo": "2026-06-04T00:00:00Z"}]}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("expires on 2026-06-04, 3 days from now");
  }

  @Test
  void check_expired_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/byok-payments"],
             "metadata": {"origin": "EXTERNAL", "expirationModel": "KEY_MATERIAL_EXPIRES",
                          "validTo": "2026-05-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("expired on 2026-05-01");
  }

  @Test
  void check_pendingImport_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/byok-payments"],
             "metadata": {"origin": "EXTERNAL", "keyState": "PendingImport"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("byok-payments is pending import");
  }

  @Test
  void check_expiresLater_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/byok-payments"],
             "metadata": {"origin": "EXTERNAL", "expirationModel": "KEY_MATERIAL_EXPIRES",
                          "validTo": "2027-01-01T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void check_doesNotExpire_passes() {
    Finding f =
        one(
            RULE,
            """
            {"metadata": {"origin": "EXTERNAL", "expirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("does not expire");
  }

  @Test
  void check_expirationModelMissing_isUnknown() {
    Finding f =
        one(
            RULE,
            "{\"aliases\": [\"alias/byok-payments\"], \"metadata\": {\"origin\": \"EXTERNAL\"}}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named byok-payments has imported key material, but its expiration model is"
                + " not in the snapshot");
  }

  @Test
  void check_kmsGeneratedMaterial_isNotApplicable() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"]}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("orders does not use imported key material (origin AWS_KMS)");
  }
}
