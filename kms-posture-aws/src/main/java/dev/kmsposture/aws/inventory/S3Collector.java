package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * S3 buckets' default encryption and tags. {@code ListBuckets} is global: it is called once, and
 * each bucket's encryption and tags are read in the bucket's own Region. A bucket without a
 * default-encryption rule (before 2023) and {@code AES256} use SSE-S3, a key S3 owns; {@code
 * aws:kms} and {@code aws:kms:dsse} use a KMS key, {@code aws/s3} when no key id is given.
 */
final class S3Collector {
  static final String DEFAULT_ALIAS = "alias/aws/s3";

  private S3Collector() {}

  /** A bucket listed by {@code ListBuckets}, and its Region. */
  record ListedBucket(String name, String region) {}

  /**
   * Lists the account's buckets once, with the S3 client of {@code listRegion}.
   *
   * @throws SdkException when the listing fails
   */
  static List<ListedBucket> list(String listRegion, Reading reading) {
    S3Client s3 = reading.clients.client(listRegion, S3Client.class).orElseThrow();
    List<ListedBucket> buckets = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      ListBucketsResponse page =
          reading.call(
              "s3",
              listRegion,
              "ListBuckets",
              () -> s3.listBuckets(r -> r.maxBuckets(1000).continuationToken(t)));
      for (Bucket b : page.buckets()) {
        String region = b.bucketRegion();
        if (region == null || region.isBlank()) {
          region = location(s3, listRegion, b.name(), reading);
        }
        buckets.add(new ListedBucket(b.name(), region));
      }
      token = page.continuationToken();
    } while (token != null && !token.isEmpty());
    return buckets;
  }

  private static String location(S3Client s3, String listRegion, String bucket, Reading reading) {
    String c =
        reading
            .call(
                "s3",
                listRegion,
                "GetBucketLocation",
                () -> s3.getBucketLocation(r -> r.bucket(bucket)))
            .locationConstraintAsString();
    // S3 API Reference, GetBucketLocation: no constraint is us-east-1; "EU" is eu-west-1.
    if (c == null || c.isEmpty()) {
      return "us-east-1";
    }
    return "EU".equals(c) ? "eu-west-1" : c;
  }

  /** Reads the encryption and tags of the buckets in {@code region}. */
  static void read(
      String region, List<ListedBucket> buckets, Reading reading, List<String> problems) {
    S3Client s3 = reading.clients.client(region, S3Client.class).orElseThrow();
    for (ListedBucket b : buckets) {
      if (b.region().equals(region)) {
        reading.add(bucket(s3, b.name(), region, reading, problems));
      }
    }
  }

  /** Records the buckets of Regions that have no S3 client as not read. */
  static void notScanned(List<ListedBucket> buckets, Set<String> scanned, Reading reading) {
    for (ListedBucket b : buckets) {
      if (!scanned.contains(b.region())) {
        reading.add(
            ResourceSnapshot.builder(
                    "arn:" + reading.partition + ":s3:::" + b.name(), "s3", "bucket", b.region())
                .encryption(
                    "not read: the bucket's Region " + b.region() + " was not scanned",
                    ResourceProtection.NOT_READ)
                .build());
      }
    }
  }

  private static ResourceSnapshot bucket(
      S3Client s3, String name, String region, Reading reading, List<String> problems) {
    ResourceSnapshot.Builder b =
        ResourceSnapshot.builder(
            "arn:" + reading.partition + ":s3:::" + name, "s3", "bucket", region);
    try {
      List<ServerSideEncryptionRule> rules =
          reading
              .call(
                  "s3",
                  region,
                  "GetBucketEncryption",
                  () -> s3.getBucketEncryption(r -> r.bucket(name)))
              .serverSideEncryptionConfiguration()
              .rules();
      encryption(b, rules.isEmpty() ? null : rules.get(0), region, reading);
    } catch (SdkException e) {
      if (Reading.isError(e, "ServerSideEncryptionConfigurationNotFoundError")) {
        b.encryption("no default encryption rule (SSE-S3)", ResourceProtection.AWS_OWNED_KEY);
      } else {
        String why = Reading.describe("GetBucketEncryption", e);
        problems.add(name + ": " + why);
        b.encryption(why, ResourceProtection.NOT_READ);
      }
    }
    b.tags(tags(s3, name, region, reading, problems));
    return b.build();
  }

  private static void encryption(
      ResourceSnapshot.Builder b,
      @Nullable ServerSideEncryptionRule rule,
      String region,
      Reading reading) {
    ServerSideEncryptionByDefault d =
        rule == null ? null : rule.applyServerSideEncryptionByDefault();
    if (rule == null || d == null) {
      b.encryption("no default encryption rule (SSE-S3)", ResourceProtection.AWS_OWNED_KEY);
      return;
    }
    if (rule.bucketKeyEnabled() != null) {
      b.putAttribute("bucketKeyEnabled", rule.bucketKeyEnabled().toString());
    }
    String algorithm = d.sseAlgorithmAsString();
    String key = d.kmsMasterKeyID();
    if ("AES256".equals(algorithm)) {
      b.encryption("AES256", ResourceProtection.AWS_OWNED_KEY);
    } else if ("aws:kms".equals(algorithm) || "aws:kms:dsse".equals(algorithm)) {
      KeyReference ref =
          key == null || key.isBlank()
              ? reading.resolver.resolve(DEFAULT_ALIAS, region)
              : reading.resolver.resolveAsS3(key, region);
      reading.kmsKey(b, algorithm, ref);
    } else {
      b.encryption(
          algorithm == null ? "(no SSEAlgorithm)" : algorithm, ResourceProtection.UNRECOGNISED);
      if (key != null && !key.isBlank()) {
        b.key(reading.resolver.resolveAsS3(key, region));
      }
    }
  }

  private static @Nullable Map<String, String> tags(
      S3Client s3, String name, String region, Reading reading, List<String> problems) {
    try {
      List<Tag> tags =
          reading
              .call(
                  "s3", region, "GetBucketTagging", () -> s3.getBucketTagging(r -> r.bucket(name)))
              .tagSet();
      Map<String, String> m = new TreeMap<>();
      for (Tag t : tags) {
        m.put(t.key(), t.value());
      }
      return m;
    } catch (SdkException e) {
      if (Reading.isError(e, "NoSuchTagSet")) {
        return Map.of();
      }
      problems.add(name + ": " + Reading.describe("GetBucketTagging", e));
      return null;
    }
  }
}
