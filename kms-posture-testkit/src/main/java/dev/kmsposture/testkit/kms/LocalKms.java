package dev.kmsposture.testkit.kms;

import dev.kmsposture.testkit.internal.kms.KmsEngine;
import dev.kmsposture.testkit.internal.wire.InProcessHttpClient;
import dev.kmsposture.testkit.internal.wire.WireDispatcher;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * An embedded AWS KMS for tests: an in-memory engine that real SDK clients talk to, in-process
 * through {@link #httpClient()} or over HTTP through {@code LocalKmsServer}.
 *
 * <pre>{@code
 * LocalKms kms = LocalKms.create();
 * try (KmsClient client = kms.kmsClient(Region.US_EAST_1)) {
 *   String keyId = client.createKey().keyMetadata().keyId();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LocalKms {
  /** The access key id of the clients {@link #kmsClient(Region)} builds. */
  public static final String DEFAULT_ACCESS_KEY_ID = "AKIALOCALKMS00000000";

  private final Clock clock;
  private final RequestJournal journal = new RequestJournal();
  private final Map<String, Caller> callers;
  private final KmsEngine engine;
  private final WireDispatcher dispatcher;

  private LocalKms(Builder builder) {
    this.clock = builder.clock;
    this.callers = new ConcurrentHashMap<>(builder.callers);
    this.engine = new KmsEngine(clock, journal);
    Supplier<String> requestIds = builder.requestIds;
    this.dispatcher =
        new WireDispatcher(
                accessKey -> callers.getOrDefault(accessKey, Caller.root(Caller.DEFAULT_ACCOUNT)),
                requestIds,
                clock)
            .register("kms", "TrentService", engine);
  }

  /** Returns an embedded KMS with the system clock and no keys. */
  public static LocalKms create() {
    return builder().build();
  }

  /** Returns a builder for an embedded KMS. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns an SDK HTTP client that answers every request in-process from this KMS. Pass it to
   * {@code KmsClient.builder().httpClient(...)}; the SDK client does not close it.
   */
  public SdkHttpClient httpClient() {
    return new InProcessHttpClient(dispatcher);
  }

  /**
   * Returns a new SDK KMS client for {@code region} that talks to this KMS in-process, as the
   * default caller. The caller closes it.
   */
  public KmsClient kmsClient(Region region) {
    return kmsClient(region, DEFAULT_ACCESS_KEY_ID);
  }

  /**
   * Returns a new SDK KMS client for {@code region} that signs with {@code accessKeyId}, so that it
   * acts as the caller mapped to that key. The caller closes it.
   */
  public KmsClient kmsClient(Region region, String accessKeyId) {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    return KmsClient.builder()
        .httpClient(httpClient())
        .region(region)
        // Never contacted: the in-process client answers before any socket is opened.
        .endpointOverride(URI.create("http://127.0.0.1"))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(accessKeyId, "local-kms-secret")))
        .build();
  }

  /** Returns the record of every request this KMS answered. */
  public RequestJournal journal() {
    return journal;
  }

  /** Returns the clock this KMS runs on. */
  public Clock clock() {
    return clock;
  }

  WireDispatcher dispatcher() {
    return dispatcher;
  }

  /** Builds a {@link LocalKms}. Not thread-safe; the built instance is. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private final Map<String, Caller> callers = new HashMap<>();
    private Supplier<String> requestIds = () -> UUID.randomUUID().toString();

    private Builder() {}

    /** Sets the clock every timestamp and rotation reads; the system UTC clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Makes requests signed with {@code accessKeyId} act as {@code caller}. Unmapped access keys
     * act as the root user of {@link Caller#DEFAULT_ACCOUNT}.
     */
    public Builder caller(String accessKeyId, Caller caller) {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(caller, "caller");
      callers.put(accessKeyId, caller);
      return this;
    }

    /** Sets the source of request ids (random UUIDs by default), for deterministic tests. */
    public Builder requestIds(Supplier<String> requestIds) {
      this.requestIds = Objects.requireNonNull(requestIds, "requestIds");
      return this;
    }

    /** Builds the embedded KMS. */
    public LocalKms build() {
      return new LocalKms(this);
    }
  }
}
