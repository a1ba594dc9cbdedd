package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.Fixtures.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.InventoryCoverage;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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

  static final String AWS_S3 =
      "{\"aliases\": [\"alias/aws/s3\"], \"metadata\": {\"keyManager\": \"AWS\"}}";

  static ResourceSnapshot bucket(String name, @Nullable Map<String, String> tags) {
    return ResourceSnapshot.builder("arn:aws:s3:::" + name, "s3", "bucket", "us-east-1")
        .encryption("aws:kms", ResourceProtection.AWS_MANAGED_KEY)
        .key(KeyReference.resolved("alias/aws/s3", Fixtures.ARN))
        .tags(tags)
        .build();
  }

  static Finding withInventory(String key, ResourceSnapshot... resources) {
    AccountSnapshot s =
        Fixtures.snapshot(Fixtures.key(key))
            .withInventory(
                ResourceInventory.of(
                    List.of("s3"),
                    List.of(InventoryCoverage.complete("s3", "us-east-1")),
                    List.of(resources)));
    List<Finding> findings = Fixtures.run(RULE, PostureConfig.defaults(), s, Fixtures.ARN);
    assertThat(findings).hasSize(1);
    return findings.get(0);
  }

  @Test
  void inventory_resourceTaggedConfidential_failsSayingWhy() {
    Finding f =
        withInventory(
            AWS_S3,
            bucket("reports", Map.of("DataClassification", "confidential")),
            bucket("logs", Map.of()));

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "1 resource marked sensitive uses the AWS managed key aws/s3 (arn:aws:s3:::reports:"
                + " tagged DataClassification=confidential)");
  }

  @Test
  void inventory_resourceNamedPii_failsByItsName() {
    Finding f = withInventory(AWS_S3, bucket("customer-pii-exports", Map.of()));

    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message()).contains("its name says pii");
  }

  @Test
  void inventory_noSignalAndTagsRead_passes() {
    Finding f = withInventory(AWS_S3, bucket("build-cache", Map.of("Team", "ci")));

    assertThat(f.status()).isEqualTo(Status.PASS);
    assertThat(f.message())
        .isEqualTo("1 resource uses the AWS managed key aws/s3, none tagged or named as sensitive");
  }

  @Test
  void inventory_noSignalAndTagsNotRead_isUnknown() {
    Finding f = withInventory(AWS_S3, bucket("build-cache", null));

    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message()).contains("whose tags were not read");
  }

  @Test
  void inventory_customerManagedKey_staysNotApplicable() {
    Finding f = withInventory("{\"aliases\": [\"alias/orders\"]}", bucket("pii", Map.of()));

    assertThat(f.status()).isEqualTo(Status.NOT_APPLICABLE);
  }
}
