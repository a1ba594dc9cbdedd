package dev.kmsposture.aws.inventory;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.AliasEntry;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.testing.TestKeys;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** An account with a customer managed key, an AWS managed key and a key pending deletion. */
final class InventoryFixtures {
  static final String ACCOUNT = "111122223333";
  static final String REGION = "eu-west-1";
  static final String CMK_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String CMK = "arn:aws:kms:eu-west-1:111122223333:key/" + CMK_ID;
  static final String AWS_SQS_ID = "0000aaaa-0000-4000-8000-000000000001";
  static final String AWS_SQS = "arn:aws:kms:eu-west-1:111122223333:key/" + AWS_SQS_ID;
  static final String DOOMED_ID = "dddddddd-0000-4000-8000-00000000000d";
  static final String DOOMED = "arn:aws:kms:eu-west-1:111122223333:key/" + DOOMED_ID;
  // Loopback, and never contacted: the requests go to the in-process ReplayHttp.
  static final URI ENDPOINT = URI.create("http://127.0.0.1:9");
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIAINVENTORY0000000", "not-a-secret"));

  private InventoryFixtures() {}

  static AccountSnapshot keys() {
    return AccountSnapshot.builder()
        .account(ACCOUNT)
        .regions(List.of(REGION))
        .capturedAt(Instant.parse("2026-12-01T00:00:00Z"))
        .keys(
            List.of(
                key(CMK, "CUSTOMER", "Enabled"),
                key(AWS_SQS, "AWS", "Enabled"),
                key(DOOMED, "CUSTOMER", "PendingDeletion")))
        .aliases(
            List.of(
                new AliasEntry("alias/pii", REGION, CMK_ID),
                new AliasEntry("alias/aws/sqs", REGION, AWS_SQS_ID),
                new AliasEntry("alias/aws/s3", REGION, null),
                new AliasEntry("alias/aws/secretsmanager", REGION, null),
                new AliasEntry("alias/aws/ebs", REGION, null)))
        .build();
  }

  static KeySnapshot key(String arn, String manager, String state) {
    return KeySnapshot.builder(
            arn,
            TestKeys.metadata()
                .keyManager(manager)
                .keyState(state)
                .deletionDate(
                    state.equals("PendingDeletion") ? Instant.parse("2026-12-08T00:00:00Z") : null)
                .build())
        .build();
  }

  static InventoryOptions options(InventoryService... services) {
    return InventoryOptions.defaults()
        .withServices(Set.of(services))
        .withRetries(0, Duration.ofMillis(1));
  }

  static InventoryClients clients(ReplayHttp http) {
    Region r = Region.of(REGION);
    return InventoryClients.builder()
        .add(
            REGION,
            S3Client.builder()
                .httpClient(http)
                .region(r)
                .endpointOverride(ENDPOINT)
                .credentialsProvider(CREDENTIALS)
                .forcePathStyle(true)
                .build())
        .add(
            REGION,
            Ec2Client.builder()
                .httpClient(http)
                .region(r)
                .endpointOverride(ENDPOINT)
                .credentialsProvider(CREDENTIALS)
                .build())
        .add(
            REGION,
            RdsClient.builder()
                .httpClient(http)
                .region(r)
                .endpointOverride(ENDPOINT)
                .credentialsProvider(CREDENTIALS)
                .build())
        .add(
            REGION,
            SecretsManagerClient.builder()
                .httpClient(http)
                .region(r)
                .endpointOverride(ENDPOINT)
                .credentialsProvider(CREDENTIALS)
                .build())
        .add(
            REGION,
            CloudWatchLogsClient.builder()
                .httpClient(http)
                .region(r)
                .endpointOverride(ENDPOINT)
                .credentialsProvider(CREDENTIALS)
                .build())
        .add(
            REGION,
            SnsClient.builder()
                .httpClient(http)
                .region(r)
                .endpointOverride(ENDPOINT)
                .credentialsProvider(CREDENTIALS)
                .build())
        .add(
            REGION,
            SqsClient.builder()
                .httpClient(http)
                .region(r)
                .endpointOverride(ENDPOINT)
                .credentialsProvider(CREDENTIALS)
                .build())
        .add(
            REGION,
            DynamoDbClient.builder()
                .httpClient(http)
                .region(r)
                .endpointOverride(ENDPOINT)
                .credentialsProvider(CREDENTIALS)
                .build())
        .efs(REGION, FileSystemLister.efs(http, CREDENTIALS, r, ENDPOINT))
        .fsx(REGION, FileSystemLister.fsx(http, CREDENTIALS, r, ENDPOINT))
        .build();
  }

  /** The inventory of a snapshot the inventory scanner made (it always holds one). */
  static ResourceInventory inventoryOf(AccountSnapshot snapshot) {
    return Objects.requireNonNull(
        snapshot.inventory(), "the scanner's snapshot holds no inventory");
  }

  static AccountSnapshot collect(ReplayHttp http, InventoryService... services) {
    return ResourceInventoryScanner.collect(keys(), clients(http), options(services));
  }
}
