package dev.kmsposture.aws.scan;

import dev.kmsposture.policy.AccountId;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Builds the clients of each account an organization scan reaches, with the credentials the scan
 * hands over (the account's assumed-role session, or the scanner's own credentials for its own
 * account). The caller decides how clients are configured (retry mode, HTTP client, endpoint); the
 * scanner asks for a client when an account's scan starts and closes it when that scan ends.
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
}
