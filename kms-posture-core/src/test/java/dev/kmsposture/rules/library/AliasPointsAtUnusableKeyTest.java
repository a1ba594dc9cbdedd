package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class AliasPointsAtUnusableKeyTest {
  private static final AliasPointsAtUnusableKey RULE = new AliasPointsAtUnusableKey();

  @Test
  void check_aliasOnDisabledKey_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/orders-db"], "metadata": {"keyState": "Disabled"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The alias alias/orders-db points at the CMK named orders-db, which is disabled;"
                + " applications that use it fail");
  }

  @Test
  void check_aliasesOnKeyPendingDeletion_failsWithDate() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/orders-db", "alias/orders-db-v1"],
             "metadata": {"keyState": "PendingDeletion", "deletionDate": "2026-06-20T00:00:00Z"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("The aliases alias/orders-db, alias/orders-db-v1 point at")
        .contains("pending deletion (on 2026-06-20)");
  }

  @Test
  void check_aliasOnEnabledKey_passes() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders-db\"]}");

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("the CMK named orders-db, which is Enabled");
  }

  @Test
  void check_keyWithoutAlias_isNotApplicable() {
    Finding f = one(RULE, "{\"aliases\": [], \"metadata\": {\"keyState\": \"Disabled\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("has no alias");
  }

  @Test
  void check_aliasesNotCollected_isUnknown() {
    Finding f = one(RULE, "{\"metadata\": {\"keyState\": \"Disabled\"}}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("aliases").contains("were not collected");
  }
}
