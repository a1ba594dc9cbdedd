package dev.kmsposture.snapshot;

import dev.kmsposture.testing.TestKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A snapshot that uses every part of the schema. */
final class SnapshotFixtures {
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  private SnapshotFixtures() {}

  static KeyMetadata metadata() {
    return TestKeys.metadata().description("orders").build();
  }

  static AccountSnapshot full() {
    String arn = "arn:aws:kms:us-east-1:111122223333:key/mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6";
    String replica = "arn:aws:kms:us-west-2:111122223333:key/mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6";
    MultiRegionConfiguration mr =
        new MultiRegionConfiguration(
            "PRIMARY",
            new MultiRegionConfiguration.MultiRegionKey(arn, "us-east-1"),
            List.of(new MultiRegionConfiguration.MultiRegionKey(replica, "us-west-2")));
    KeyMetadata m = TestKeys.metadata().description("orders").multiRegion(mr).build();
    KeySnapshot key =
        KeySnapshot.builder(arn, m)
            .aliases(List.of("alias/orders"))
            .tags(Map.of("Owner", "orders-team", "Environment", "prod"))
            .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
            .rotation(new RotationStatus(true, 365, Instant.parse("2027-01-01T00:00:00Z"), null))
            .rotations(
                List.of(
                    new KeyRotation(
                        Instant.parse("2026-01-01T00:00:00Z"),
                        "AUTOMATIC",
                        null,
                        null,
                        null,
                        null)))
            .grants(
                List.of(
                    KeyGrant.builder()
                        .grantId("g-1")
                        .name("ebs")
                        .granteePrincipal("arn:aws:iam::111122223333:role/app")
                        .issuingAccount("arn:aws:iam::111122223333:root")
                        .operations(List.of("Decrypt", "CreateGrant"))
                        .encryptionContextEquals(Map.of("b", "2", "a", "1"))
                        .creationDate(Instant.parse("2026-02-01T00:00:00Z"))
                        .build()))
            .lastUsage(
                new KeyLastUsage(
                    Instant.parse("2026-11-27T00:00:00Z"),
                    "Decrypt",
                    Instant.parse("2025-04-01T00:00:00Z")))
            .keyEvents(
                List.of(
                    new KeyEvent(
                        Instant.parse("2026-11-01T00:00:00Z"),
                        "DisableKey",
                        null,
                        null,
                        "arn:aws:iam::111122223333:role/admin")))
            .callers(
                List.of(
                    KeyCaller.builder()
                        .principalArn("arn:aws:iam::111122223333:role/app")
                        .service("s3.amazonaws.com")
                        .serviceEvidence("encryptionContext:aws:s3:arn")
                        .operations(List.of("GenerateDataKey", "Decrypt"))
                        .eventCount(12)
                        .firstSeen(Instant.parse("2026-11-01T00:00:00Z"))
                        .lastSeen(Instant.parse("2026-11-27T00:00:00Z"))
                        .build()))
            .unreadable(KeyPart.RESOURCES, "not collected for customer-managed keys")
            .build();
    TrailSnapshot trail =
        TrailSnapshot.builder()
            .name("management")
            .homeRegion("us-east-1")
            .multiRegion(true)
            .logging(true)
            .advancedEventSelectors(
                List.of(
                    new TrailSnapshot.AdvancedEventSelector(
                        "management events",
                        List.of(
                            TrailSnapshot.FieldSelector.builder()
                                .field("eventCategory")
                                .equalsValues(List.of("Management"))
                                .build()))))
            .build();
    return AccountSnapshot.builder()
        .account("111122223333")
        .regions(List.of("us-east-1", "us-west-2"))
        .capturedAt(NOW)
        .keys(List.of(key))
        .aliases(
            List.of(
                new AliasEntry("alias/orders", "us-east-1", key.keyId()),
                new AliasEntry("alias/aws/s3", "us-east-1", null)))
        .trails(List.of(trail))
        .collectionErrors(
            List.of(new CollectionError("eu-west-1", "ListKeys", "AccessDeniedException")))
        .durationMillis(1234L)
        .build()
        .withInventory(inventory(arn));
  }

  /** An inventory: a bucket under the key by alias, a queue under SSE-SQS, a denied service. */
  static ResourceInventory inventory(String keyArn) {
    ResourceSnapshot bucket =
        ResourceSnapshot.builder("arn:aws:s3:::orders-data", "s3", "bucket", "us-east-1")
            .encryption("aws:kms", ResourceProtection.CUSTOMER_MANAGED_KEY)
            .key(KeyReference.resolved("alias/orders", keyArn, "S3 resolves an alias name"))
            .tags(Map.of("DataClassification", "confidential"))
            .putAttribute("bucketKeyEnabled", "true")
            .build();
    ResourceSnapshot queue =
        ResourceSnapshot.builder(
                "arn:aws:sqs:us-east-1:111122223333:orders", "sqs", "queue", "us-east-1")
            .encryption("SSE-SQS", ResourceProtection.AWS_OWNED_KEY)
            .tags(Map.of())
            .build();
    ResourceSnapshot secret =
        ResourceSnapshot.builder(
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf",
                "secretsmanager",
                "secret",
                "us-east-1")
            .encryption("aws/secretsmanager", ResourceProtection.KMS_KEY)
            .key(
                KeyReference.unresolvable(
                    "alias/aws/secretsmanager", "the predefined alias points at no key yet"))
            .build();
    return ResourceInventory.of(
        List.of("s3", "sqs", "secretsmanager", "sns"),
        List.of(
            InventoryCoverage.complete("s3", "us-east-1"),
            InventoryCoverage.complete("sqs", "us-east-1"),
            InventoryCoverage.complete("secretsmanager", "us-east-1"),
            new InventoryCoverage("sns", "us-east-1", "ListTopics: AccessDeniedException")),
        List.of(secret, queue, bucket));
  }
}
