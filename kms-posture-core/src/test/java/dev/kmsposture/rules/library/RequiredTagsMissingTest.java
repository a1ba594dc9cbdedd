package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class RequiredTagsMissingTest {
  private static final RequiredTagsMissing RULE = new RequiredTagsMissing();

  @Test
  void check_someTagsMissingOrEmpty_failsListingThem() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-customer-pii"],
             "tags": {"Owner": "team-payments", "Environment": "prod", "Purpose": " ",
                      "dataclassification": "restricted"}}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .isEqualTo(
            "The CMK named prod-customer-pii is missing required tags Purpose,"
                + " DataClassification");
  }

  @Test
  void check_allTagsPresent_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-customer-pii"],
             "tags": {"Owner": "team-payments", "Environment": "prod", "Purpose": "customer-pii",
                      "DataClassification": "restricted"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message()).contains("prod-customer-pii carries every required tag");
  }

  @Test
  void check_configuredAwsPrefixedTag_isIgnored() {
    Finding f =
        one(
            RULE,
            Fixtures.config("requiredTags: [Owner, 'aws:cloudformation:stack-name']"),
            """
            {"tags": {"Owner": "team-payments"}}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    Finding f =
        one(RULE, "{\"aliases\": [\"alias/aws/s3\"], \"metadata\": {\"keyManager\": \"AWS\"}}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("aws/s3");
  }

  @Test
  void check_tagsUnreadable_isUnknown() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/prod-customer-pii"],
             "unreadable": {"TAGS": "AccessDeniedException: kms:ListResourceTags"}}
            """);

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .isEqualTo(
            "The tags of the CMK named prod-customer-pii could not be read:"
                + " AccessDeniedException: kms:ListResourceTags");
  }
}
