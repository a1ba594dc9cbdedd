package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import org.junit.jupiter.api.Test;

class AwsManagedKeyForSensitiveDataTest {
  private static final AwsManagedKeyForSensitiveData RULE = new AwsManagedKeyForSensitiveData();

  @Test
  void check_awsManagedKeyWithResources_failsCountingThem() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/aws/s3"], "metadata": {"keyManager": "AWS"},
             "resources": ["arn:aws:s3:::customer-exports", "arn:aws:s3:::billing-archive"]}
            """);

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "2 resources use the AWS managed key aws/s3 (arn:aws:s3:::billing-archive,"
                + " arn:aws:s3:::customer-exports); use a customer-managed key where");
  }

  @Test
  void check_awsManagedKeyWithoutResources_passes() {
    Finding f =
        one(
            RULE,
            """
            {"aliases": ["alias/aws/s3"], "metadata": {"keyManager": "AWS"}, "resources": []}
            """);

    assertThat(f.status()).isEqualTo(Status.PASS);
  }

  @Test
  void check_resourcesNotListed_isUnknownPointingAtCloudTrail() {
    Finding f =
        one(RULE, "{\"aliases\": [\"alias/aws/s3\"], \"metadata\": {\"keyManager\": \"AWS\"}}");

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .isEqualTo(
            "The resources that use the AWS managed key aws/s3 were not listed in the snapshot;"
                + " use of AWS-managed keys is visible in CloudTrail too");
  }

  @Test
  void check_customerManagedKey_isNotApplicable() {
    Finding f = one(RULE, "{\"aliases\": [\"alias/orders\"], \"resources\": [\"arn:aws:s3:::x\"]}");

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
    assertThat(f.message()).contains("orders is customer managed");
  }
}
