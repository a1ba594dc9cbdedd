package dev.kmsposture.testkit.kms.conformance;

import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * How the conformance suite reaches an embedded KMS: in-process through the SDK's HTTP client seam,
 * or over HTTP through {@code LocalKmsServer}. Every conformance test runs once per transport that
 * {@link ConformanceModes#modes()} lists.
 */
public interface KmsTransport {
  /** A live connection to one {@link LocalKms}. */
  interface Connection extends AutoCloseable {
    /** Returns a new SDK client for {@code region} that signs with {@code accessKeyId}. */
    KmsClient client(Region region, String accessKeyId);

    @Override
    void close();
  }

  /** Connects to {@code kms} (for HTTP, starts a server for it). */
  Connection connect(LocalKms kms);

  /** The in-process transport: {@link LocalKms#kmsClient(Region, String)}. */
  KmsTransport IN_PROCESS =
      new KmsTransport() {
        @Override
        public Connection connect(LocalKms kms) {
          return new Connection() {
            @Override
            public KmsClient client(Region region, String accessKeyId) {
              return kms.kmsClient(region, accessKeyId);
            }

            @Override
            public void close() {
              // nothing to stop in-process
            }
          };
        }

        @Override
        public String toString() {
          return "in-process";
        }
      };

  /**
   * The HTTP transport: a {@link LocalKmsServer} on 127.0.0.1 and SDK clients with the SDK's
   * default HTTP client, {@link LocalKmsServer#kmsClient(Region, String)}.
   */
  KmsTransport HTTP =
      new KmsTransport() {
        @Override
        public Connection connect(LocalKms kms) {
          LocalKmsServer server = LocalKmsServer.start(kms);
          return new Connection() {
            @Override
            public KmsClient client(Region region, String accessKeyId) {
              return server.kmsClient(region, accessKeyId);
            }

            @Override
            public void close() {
              server.close();
            }
          };
        }

        @Override
        public String toString() {
          return "http";
        }
      };
}
