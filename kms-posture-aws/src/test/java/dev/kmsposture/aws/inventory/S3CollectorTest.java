package dev.kmsposture.aws.inventory;

import static dev.kmsposture.aws.inventory.InventoryFixtures.CMK;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class S3CollectorTest {
  static final String NS = " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

  static String bucket(String name, @Nullable String region) {
    return "<Bucket><Name>"
        + name
        + "</Name><CreationDate>2025-01-01T00:00:00.000Z</CreationDate>"
        + (region == null ? "" : "<BucketRegion>" + region + "</BucketRegion>")
        + "</Bucket>";
  }

  static String sse(String algorithm, @Nullable String key) {
    return "<ServerSideEncryptionConfiguration"
        + NS
        + "><Rule><ApplyServerSideEncryptionByDefault>"
        + "<SSEAlgorithm>"
        + algorithm
        + "</SSEAlgorithm>"
        + (key == null ? "" : "<KMSMasterKeyID>" + key + "</KMSMasterKeyID>")
        + "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule>"
        + "</ServerSideEncryptionConfiguration>";
  }

  static String error(String code) {
    return "<Error><Code>"
        + code
        + "</Code><Message>"
        + code
        + "</Message><RequestId>r</RequestId></Error>";
  }

  @Test
  void buckets_listedOnceAcrossPages_areReadInTheirRegion() {
    ReplayHttp http =
        new ReplayHttp()
            .xml(
                "ListBuckets",
                "<ListAllMyBucketsResult"
                    + NS
                    + "><Buckets>"
                    + bucket("pii", "eu-west-1")
                    + bucket("default-kms", "eu-west-1")
                    + "</Buckets><ContinuationToken>c2</ContinuationToken></ListAllMyBucketsResult>")
            .xml(
                "ListBuckets",
                "<ListAllMyBucketsResult"
                    + NS
                    + "><Buckets>"
                    + bucket("sse-s3", "eu-west-1")
                    + bucket("dsse", "eu-west-1")
                    + bucket("future", "eu-west-1")
                    + bucket("elsewhere", "us-east-2")
                    + "</Buckets></ListAllMyBucketsResult>")
            .xml("GetBucketEncryption", sse("aws:kms", "alias/pii"))
            .xml("GetBucketEncryption", sse("aws:kms", null))
            .xml("GetBucketEncryption", sse("AES256", null))
            .xml("GetBucketEncryption", sse("aws:kms:dsse", CMK))
            .xml("GetBucketEncryption", sse("aws:fancy", null))
            .xml(
                "GetBucketTagging",
                "<Tagging"
                    + NS
                    + "><TagSet><Tag><Key>DataClassification</Key><Value>pii</Value></Tag></TagSet></Tagging>")
            .reply("GetBucketTagging", 404, "application/xml", error("NoSuchTagSet"));

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.S3));

    assertThat(inv.resources())
        .extracting(
            r ->
                r.name()
                    + " "
                    + r.encryption()
                    + " "
                    + r.protection()
                    + " "
                    + r.keyArn().orElse("-"))
        .containsExactlyInAnyOrder(
            "pii aws:kms CUSTOMER_MANAGED_KEY " + CMK,
            "default-kms aws:kms AWS_MANAGED_KEY -",
            "sse-s3 AES256 AWS_OWNED_KEY -",
            "dsse aws:kms:dsse CUSTOMER_MANAGED_KEY " + CMK,
            "future aws:fancy UNRECOGNISED -",
            "elsewhere not read: the bucket's Region us-east-2 was not scanned NOT_READ -");
    ResourceSnapshot pii = inv.resources("arn:aws:s3:::pii").get(0);
    assertThat(pii.tags()).isEqualTo(Map.of("DataClassification", "pii"));
    assertThat(requireNonNull(pii.key()).note()).contains("writer");
    assertThat(pii.attribute("bucketKeyEnabled")).contains("true");
    // aws:kms without a key id is aws/s3, whose key does not exist yet: unresolved, with why.
    ResourceSnapshot d = inv.resources("arn:aws:s3:::default-kms").get(0);
    assertThat(requireNonNull(d.key()).written()).isEqualTo("alias/aws/s3");
    assertThat(requireNonNull(d.key()).note()).contains("first uses");
    assertThat(inv.resources("arn:aws:s3:::sse-s3").get(0).tags()).isEmpty();
    assertThat(http.sent("ListBuckets")).hasSize(2);
    assertThat(
            http.sent("ListBuckets")
                .get(1)
                .request()
                .rawQueryParameters()
                .get("continuation-token"))
        .containsExactly("c2");
    assertThat(http.sent("GetBucketEncryption")).hasSize(5);
    assertThat(inv.coverage("s3", "eu-west-1").orElseThrow().isComplete()).isTrue();
  }

  @Test
  void bucketWithoutRule_isSseS3_andDeniedEncryptionIsNotRead() {
    ReplayHttp http =
        new ReplayHttp()
            .xml(
                "ListBuckets",
                "<ListAllMyBucketsResult"
                    + NS
                    + "><Buckets>"
                    + bucket("old", null)
                    + bucket("locked", "eu-west-1")
                    + "</Buckets></ListAllMyBucketsResult>")
            .xml(
                "GetBucketLocation", "<LocationConstraint" + NS + ">eu-west-1</LocationConstraint>")
            .reply(
                "GetBucketEncryption",
                404,
                "application/xml",
                error("ServerSideEncryptionConfigurationNotFoundError"))
            .reply("GetBucketEncryption", 403, "application/xml", error("AccessDenied"))
            .reply("GetBucketTagging", 404, "application/xml", error("NoSuchTagSet"));

    ResourceInventory inv =
        InventoryFixtures.inventoryOf(InventoryFixtures.collect(http, InventoryService.S3));

    assertThat(inv.resources())
        .extracting(r -> r.name() + " " + r.protection())
        .containsExactly("locked NOT_READ", "old AWS_OWNED_KEY");
    assertThat(inv.coverage("s3", "eu-west-1").orElseThrow().problem())
        .contains("locked: GetBucketEncryption: AccessDenied");
  }
}
