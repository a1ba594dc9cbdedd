package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DescriptionMissingTest {
  private static final DescriptionMissing RULE = new DescriptionMissing();

  @Test
  void check_emptyDescription_fails() {
    Finding f =
        one(
            RULE,
            "{\"aliases\": [\"alias/prod-customer-pii\"], \"metadata\": {\"description\": \"\"}}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).isEqualTo("The CMK named prod-customer-pii has no description");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"test", "key", "Test key", "KMS key", "my key", "default", "TBD", "n/a", "-"})
  void check_genericDescription_fails(String description) {
    Finding f =
        one(
            RULE,
            "{\"aliases\": [\"alias/prod-customer-pii\"], \"metadata\": {\"description\": \""
                + description
                + "\"}}");

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .contains("prod-customer-pii has a description that says nothing")
        .contains(description);
  }

  @Test
  void check_descriptionRepeatingTheAlias_fails() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-customer-pii"], "metadata": {"description": "prod-customer-pii"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
  }

  @Test
  void check_meaningfulDescription_passes() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/prod-customer-pii\"]}");

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("Encrypts customer PII in the prod orders database");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/aws/ebs"], "metadata": {"keyManager": "AWS",
             "description": "Default master key that protects my EBS volumes when no other key is defined"}}
            """);

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("The AWS managed key aws/ebs");
  }
}
