package dev.kmsposture.testkit.kms;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * What {@link LocalKmsExtension} keeps for one test class: the KMS, its server (over HTTP) and the
 * clients it handed out, made on first use and closed together.
 */
final class LocalKmsResources implements AutoCloseable {
  private final String owner;
  private final LocalKms kms;
  private final @Nullable LocalKmsServer server;
  private final Region region;
  private final GuardedHttpClient inProcess;

  // guarded by this
  private final List<SdkAutoCloseable> clients = new ArrayList<>();
  private @Nullable KmsClient kmsClient;
  private @Nullable CloudTrailClient cloudTrailClient;
  private @Nullable StsClient stsClient;
  private boolean closed;

  LocalKmsResources(String owner, LocalKms kms, WithLocalKms.Transport transport, Region region) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.kms = Objects.requireNonNull(kms, "kms");
    this.region = Objects.requireNonNull(region, "region");
    this.inProcess = new GuardedHttpClient(kms.httpClient(), owner);
    this.server =
        switch (transport) {
          case IN_PROCESS -> null;
          case HTTP -> LocalKmsServer.start(kms);
        };
  }

  LocalKms kms() {
    return kms;
  }

  Optional<LocalKmsServer> server() {
    return Optional.ofNullable(server);
  }

  /** Returns the KMS to where every test starts: the class's seed, no faults, no quotas. */
  void reset() {
    kms.reset();
    kms.faults().clear();
    kms.faults().clearInjected();
    kms.faults().reseed(0L);
    kms.requestQuotas(RequestQuotas.none());
  }

  synchronized KmsClient kmsClient() {
    requireOpen();
    KmsClient client = kmsClient;
    if (client == null) {
      client =
          server == null
              ? KmsClient.builder()
                  .httpClient(inProcess)
                  .region(region)
                  // never contacted: the in-process client answers before any socket is opened
                  .endpointOverride(URI.create("http://127.0.0.1"))
                  .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
                  .build()
              : server.kmsClient(region);
      clients.add(client);
      kmsClient = client;
    }
    return client;
  }

  synchronized CloudTrailClient cloudTrailClient() {
    requireOpen();
    CloudTrailClient client = cloudTrailClient;
    if (client == null) {
      client =
          server == null
              ? CloudTrailClient.builder()
                  .httpClient(inProcess)
                  .region(region)
                  .endpointOverride(URI.create("http://127.0.0.1"))
                  .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
                  .build()
              : server.cloudTrailClient(region);
      clients.add(client);
      cloudTrailClient = client;
    }
    return client;
  }

  synchronized StsClient stsClient() {
    requireOpen();
    StsClient client = stsClient;
    if (client == null) {
      client =
          server == null
              ? StsClient.builder()
                  .httpClient(inProcess)
                  .region(region)
                  .endpointOverride(URI.create("http://127.0.0.1"))
                  .credentialsProvider(LocalKms.credentials(LocalKms.DEFAULT_ACCESS_KEY_ID))
                  .build()
              : server.stsClient(region);
      clients.add(client);
      stsClient = client;
    }
    return client;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          String.format(
              "the embedded KMS of [%s] is closed: its tests are over; ask the extension for"
                  + " clients in each test",
              owner));
    }
  }

  /** Closes the clients, then the server. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    for (SdkAutoCloseable client : clients) {
      try {
        client.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    clients.clear();
    inProcess.close();
    if (server != null) {
      server.close();
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "LocalKmsResources[" + owner + (server == null ? "" : ", " + server.endpoint()) + "]";
  }

  /**
   * The in-process transport of the injected clients. Once the test class is over it refuses
   * requests, so that a client kept past its class (in a static field, say) fails with a message
   * instead of quietly talking to a KMS nobody resets any more.
   */
  private static final class GuardedHttpClient implements SdkHttpClient {
    private final SdkHttpClient delegate;
    private final String owner;
    private volatile boolean closed;

    GuardedHttpClient(SdkHttpClient delegate, String owner) {
      this.delegate = delegate;
      this.owner = owner;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      if (closed) {
        throw new IllegalStateException(
            String.format(
                "this client was injected by LocalKmsExtension into [%s] and closed after its"
                    + " tests; ask the extension for a client in each test instead of keeping one",
                owner));
      }
      return delegate.prepareRequest(request);
    }

    @Override
    public String clientName() {
      return "LocalKmsInProcess";
    }

    @Override
    public void close() {
      closed = true;
      delegate.close();
    }
  }
}
