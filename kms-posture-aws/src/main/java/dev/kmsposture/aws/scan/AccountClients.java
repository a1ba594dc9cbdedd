package dev.kmsposture.aws.scan;

import dev.kmsposture.aws.inventory.FileSystemLister;
import dev.kmsposture.aws.inventory.InventoryService;
import dev.kmsposture.policy.AccountId;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Builds the clients of each account an organization scan reaches, with the credentials the scan
 * hands over (the account's assumed-role session, or the scanner's own credentials for its own
 * account). The caller decides how clients are configured (retry mode, HTTP client, endpoint); the
 * scanner asks for a client when an account's scan starts and closes it when that scan ends.
 *
 * <p>When the scan reads the {@linkplain OrganizationScanner.Builder#inventory resource inventory},
 * it also asks for each inventory service's client ({@link #inventory}) and EFS and FSx listers
 * ({@link #fileSystems}), with the same credentials; without them the services are reported as not
 * read, never as holding no resources.
 *
 * <pre>{@code
 * AccountClients clients = (account, region, credentials) -> KmsClient.builder()
 *     .region(region)
 *     .credentialsProvider(credentials)
 *     .httpClient(sharedHttpClient)
 *     .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface AccountClients {
  /**
   * Builds a KMS client for {@code account} in {@code region} that signs with {@code credentials}.
   */
  KmsClient kms(AccountId account, Region region, AwsCredentialsProvider credentials);

  /**
   * Builds a CloudTrail client for {@code account} in {@code region}, or none (the default), in
   * which case the account's trails are not collected.
   */
  default Optional<CloudTrailClient> cloudTrail(
      AccountId account, Region region, AwsCredentialsProvider credentials) {
    return Optional.empty();
  }

  /**
   * Builds the resource inventory's SDK client of {@code service} for {@code account} in {@code
   * region}, signing with {@code credentials}: an {@code S3Client}, {@code Ec2Client}, {@code
   * RdsClient}, {@code SecretsManagerClient}, {@code CloudWatchLogsClient}, {@code SnsClient},
   * {@code SqsClient} or {@code DynamoDbClient}. None by default, in which case that service and
   * Region is recorded as not read. Never asked for {@link InventoryService#EFS} or {@link
   * InventoryService#FSX} (see {@link #fileSystems}). The scanner closes the client when the
   * account's scan ends.
   */
  default Optional<SdkClient> inventory(
      AccountId account,
      Region region,
      InventoryService service,
      AwsCredentialsProvider credentials) {
    return Optional.empty();
  }

  /**
   * Builds the {@code DescribeFileSystems} lister of {@code service} ({@link InventoryService#EFS}
   * or {@link InventoryService#FSX}) for {@code account} in {@code region}, signing with {@code
   * credentials}, such as {@link FileSystemLister#efs}. None by default, in which case that service
   * and Region is recorded as not read.
   */
  default Optional<FileSystemLister> fileSystems(
      AccountId account,
      Region region,
      InventoryService service,
      AwsCredentialsProvider credentials) {
    return Optional.empty();
  }
}
