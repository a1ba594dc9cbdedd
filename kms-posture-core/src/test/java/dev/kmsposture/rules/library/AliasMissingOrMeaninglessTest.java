package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AliasMissingOrMeaninglessTest {
  private static final AliasMissingOrMeaningless RULE = new AliasMissingOrMeaningless();

  @Test
  void check_noAlias_failsNamingTheArn() {
    Finding f = one(RULE, "{\"aliases\": []}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).isEqualTo("The CMK " + Fixtures.ARN + " has no alias");
  }

  @Test
  void check_onlyGenericAlias_fails() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/key1\"]}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named key1 has only generic or id-like aliases (alias/key1), which say"
                + " nothing about what it protects");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alias/key1",
        "alias/test",
        "alias/mykey",
        "alias/my-key",
        "alias/default",
        "alias/cmk",
        "alias/CMK-01",
        "alias/kms-key",
        "alias/new-key",
        "alias/12345",
        "alias/1234abcd-12ab-34cd-56ef-1234567890ab",
        "alias/mrk-0123456789abcdef0123456789abcdef",
        "alias/deadbeef00",
        "alias/x"
      })
  void isMeaningless_genericOrIdLike_isTrue(String alias) {
    assertThat(AliasMissingOrMeaningless.isMeaningless(alias)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alias/prod-customer-pii",
        "alias/staging-rds-postgres",
        "alias/payments-key",
        "alias/test-orders-db"
      })
  void isMeaningless_descriptive_isFalse(String alias) {
    assertThat(AliasMissingOrMeaningless.isMeaningless(alias)).isFalse();
  }

  @Test
  void check_descriptiveAlias_passes() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/prod-customer-pii\", \"alias/test\"]}");

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message())
        .contains("has a meaningful alias (alias/prod-customer-pii)")
        .contains("its other aliases alias/test are generic");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    Finding f =
        one(RULE, "{\"aliases\": [\"alias/aws/s3\"], \"metadata\": {\"keyManager\": \"AWS\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("The AWS managed key aws/s3 is AWS managed");
  }

  @Test
  void check_aliasesNotCollected_isUnknown() {
    Finding f =
        one(RULE, "{\"unreadable\": {\"ALIASES\": \"AccessDeniedException: kms:ListAliases\"}}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .contains("aliases")
        .contains("could not be read: AccessDeniedException");
  }
}
