package dev.kmsposture.testkit.kms;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The two ways a real SDK client reaches the embedded KMS: in-process, or over HTTP through a
 * {@link LocalKmsServer}. Tests that take a {@code Transport} run once per way.
 */
enum Transport {
  IN_PROCESS,
  HTTP;

  /** Opens this transport to {@code kms}; close the result to stop its server. */
  Session open(LocalKms kms) {
    return new Session(kms, this == HTTP ? LocalKmsServer.start(kms) : null);
  }

  /** SDK clients of one transport. */
  static final class Session implements AutoCloseable {
    private final LocalKms kms;
    private final @Nullable LocalKmsServer server;

    Session(LocalKms kms, @Nullable LocalKmsServer server) {
      this.kms = kms;
      this.server = server;
    }

    KmsClient kms(Region region, String accessKey) {
      return server == null
          ? kms.kmsClient(region, accessKey)
          : server.kmsClient(region, accessKey);
    }

    KmsClient kms(Region region) {
      return kms(region, LocalKms.DEFAULT_ACCESS_KEY_ID);
    }

    StsClient sts(Region region, String accessKey) {
      return server == null
          ? kms.stsClient(region, accessKey)
          : server.stsClient(region, accessKey);
    }

    StsClient sts(Region region) {
      return sts(region, LocalKms.DEFAULT_ACCESS_KEY_ID);
    }

    CloudTrailClient cloudTrail(Region region, String accessKey) {
      return server == null
          ? kms.cloudTrailClient(region, accessKey)
          : server.cloudTrailClient(region, accessKey);
    }

    CloudTrailClient cloudTrail(Region region) {
      return cloudTrail(region, LocalKms.DEFAULT_ACCESS_KEY_ID);
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }
}
