package dev.kmsposture.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS SDK clients of the commands that talk to an account ({@code provision}, {@code retire}),
 * built from {@code --region}, {@code --profile} and {@code --endpoint-url}.
 *
 * <p>The region is {@code --region}, else the environment's {@code AWS_REGION} or {@code
 * AWS_DEFAULT_REGION}; nothing else is guessed. Credentials come from {@code --profile}, else the
 * environment's {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (and {@code
 * AWS_SESSION_TOKEN}), else the SDK's default chain. {@code --endpoint-url} sends every request
 * (KMS and STS) to one endpoint, such as {@code kms-posture local-kms}'s.
 */
final class AwsClients implements AutoCloseable {
  private final Region region;
  private final @Nullable URI endpoint;
  private final AwsCredentialsProvider credentials;
  private @Nullable KmsClient kms;
  private @Nullable StsClient sts;

  private AwsClients(Region region, @Nullable URI endpoint, AwsCredentialsProvider credentials) {
    this.region = region;
    this.endpoint = endpoint;
    this.credentials = credentials;
  }

  /**
   * Returns the clients for the options given.
   *
   * @throws BadInputException when no region is given or the endpoint is not an http(s) URL
   */
  static AwsClients of(
      @Nullable String region,
      @Nullable String profile,
      @Nullable String endpointUrl,
      UnaryOperator<String> environment) {
    String r = region;
    if (r == null || r.isBlank()) {
      r = environment.apply("AWS_REGION");
    }
    if (r == null || r.isBlank()) {
      r = environment.apply("AWS_DEFAULT_REGION");
    }
    if (r == null || r.isBlank()) {
      throw new BadInputException(
          "no region: give --region (such as --region us-east-1) or set AWS_REGION");
    }
    if (!r.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
      throw new BadInputException(
          String.format("region [%s] is not a Region name; expected such as us-east-1", r));
    }
    URI endpoint = null;
    if (endpointUrl != null) {
      try {
        endpoint = new URI(endpointUrl);
      } catch (URISyntaxException e) {
        throw new BadInputException(
            String.format(
                "--endpoint-url [%s] is not a URL; expected such as http://127.0.0.1:4566",
                endpointUrl),
            e);
      }
      String scheme =
          endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
        throw new BadInputException(
            String.format(
                "--endpoint-url [%s] is not an http or https URL with a host; expected such as"
                    + " http://127.0.0.1:4566",
                endpointUrl));
      }
    }
    return new AwsClients(Region.of(r), endpoint, credentials(profile, environment));
  }

  private static AwsCredentialsProvider credentials(
      @Nullable String profile, UnaryOperator<String> environment) {
    if (profile != null) {
      if (profile.isBlank()) {
        throw new BadInputException("--profile is blank; give a profile name");
      }
      return ProfileCredentialsProvider.create(profile);
    }
    String id = environment.apply("AWS_ACCESS_KEY_ID");
    String secret = environment.apply("AWS_SECRET_ACCESS_KEY");
    if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
      String token = environment.apply("AWS_SESSION_TOKEN");
      return StaticCredentialsProvider.create(
          token == null || token.isBlank()
              ? AwsBasicCredentials.create(id, secret)
              : AwsSessionCredentials.create(id, secret, token));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  /** Returns the Region. */
  Region region() {
    return region;
  }

  /** Returns the KMS client of the Region, built on first use. */
  KmsClient kms() {
    if (kms == null) {
      kms = kms(region);
    }
    return kms;
  }

  /** Returns a new KMS client for {@code r}; the caller closes it. */
  KmsClient kms(Region r) {
    var b = KmsClient.builder().region(r).credentialsProvider(credentials);
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  /** Returns a new CloudTrail client for {@code r}; the caller closes it. */
  CloudTrailClient cloudTrail(Region r) {
    var b = CloudTrailClient.builder().region(r).credentialsProvider(credentials);
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  /** Returns the STS client, built on first use. */
  StsClient sts() {
    if (sts == null) {
      var b = StsClient.builder().region(region).credentialsProvider(credentials);
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      sts = b.build();
    }
    return sts;
  }

  @Override
  public void close() {
    if (kms != null) {
      kms.close();
    }
    if (sts != null) {
      sts.close();
    }
  }
}
