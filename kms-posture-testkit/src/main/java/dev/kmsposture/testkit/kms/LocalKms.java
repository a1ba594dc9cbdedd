package dev.kmsposture.testkit.kms;

import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.testkit.internal.cloudtrail.CloudTrailService;
import dev.kmsposture.testkit.internal.kms.EngineConfig;
import dev.kmsposture.testkit.internal.kms.KmsEngine;
import dev.kmsposture.testkit.internal.kms.Uuids;
import dev.kmsposture.testkit.internal.organizations.OrganizationsService;
import dev.kmsposture.testkit.internal.sts.StsService;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import dev.kmsposture.testkit.internal.wire.CallerDirectory;
import dev.kmsposture.testkit.internal.wire.FaultInjector;
import dev.kmsposture.testkit.internal.wire.InProcessHttpClient;
import dev.kmsposture.testkit.internal.wire.KmsCallRecords;
import dev.kmsposture.testkit.internal.wire.QuotaEnforcer;
import dev.kmsposture.testkit.internal.wire.WireDispatcher;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * An embedded AWS KMS for tests: an in-memory engine that real SDK clients talk to, in-process
 * through {@link #httpClient()} or over HTTP through {@link LocalKmsServer}. CloudTrail, STS and
 * Organizations companions answer alongside it, so account discovery, cross-account scanning and
 * logging checks run against it too.
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
  private final CallerDirectory callers;
  private final KmsEngine engine;
  private final WireDispatcher dispatcher;

  // ---- transport, companions, faults and quotas
  private final Faults faults;
  private final QuotaEnforcer quotas;

  private LocalKms(Builder builder) {
    this.clock = builder.clock;
    this.callers = new CallerDirectory(builder.callers, Caller.root(Caller.DEFAULT_ACCOUNT), clock);
    this.engine = new KmsEngine(clock, journal, builder.engineConfig(), builder.idSeed);
    List<KmsSeed> seeds = List.copyOf(builder.seeds);
    engine.onReset(e -> seeds.forEach(e::seed));
    seeds.forEach(engine::seed);
    Supplier<String> requestIds = builder.requestIds;
    this.dispatcher =
        new WireDispatcher(callers::resolve, requestIds, clock)
            .register("kms", "TrentService", engine);

    // ---- transport, companions, faults and quotas
    FaultInjector injector = new FaultInjector(builder.faultSeed);
    builder.faults.forEach(injector::add);
    this.faults = new Faults(injector);
    this.quotas =
        new QuotaEnforcer(
            clock,
            // the engine's key specs pick the per-key-type cryptographic quota
            engine::keySpecOf,
            builder.requestQuotas);
    List<AssumableRole> roles = new ArrayList<>(builder.roles.values());
    for (Organization organization : builder.organizations) {
      for (OrganizationAccount account : organization.accounts()) {
        String roleArn =
            String.format(
                "arn:aws:iam::%s:role/OrganizationAccountAccessRole", account.id().value());
        // AWS creates this role in every account created in the organization
        if (account.joinedMethod().equals("CREATED") && !builder.roles.containsKey(roleArn)) {
          roles.add(
              AssumableRole.builder(roleArn)
                  .trust(organization.managementAccount().value())
                  .build());
        }
      }
    }
    OrganizationsService organizationsService = new OrganizationsService(builder.organizations);
    dispatcher
        .registerQuery("sts", StsService.XML_NAMESPACE, new StsService(clock, callers, roles))
        .register(
            "cloudtrail",
            CloudTrailService.TARGET_PREFIX,
            new CloudTrailService(clock, journal, organizationsService::organizationOf))
        .register("organizations", OrganizationsService.TARGET_PREFIX, organizationsService)
        .journal("kms", new KmsCallJournal(journal))
        .quotas(quotas)
        .faults(injector);
  }

  /** Records the KMS calls the engine did not answer itself with success. */
  private static final class KmsCallJournal implements WireDispatcher.CallJournal {
    private final RequestJournal journal;

    KmsCallJournal(RequestJournal journal) {
      this.journal = journal;
    }

    @Override
    public void rejected(AwsCall call, AwsServiceError error) {
      journal.record(
          KmsCallRecords.rejected(
              call, error.code(), String.valueOf(error.getMessage()), randomRequestId()));
    }

    @Override
    public void failed(AwsCall call, AwsServiceError error) {
      String message = String.valueOf(error.getMessage());
      if (!journal.markFailed(call.requestId(), error.code(), message)) {
        rejected(call, error);
      }
    }
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
        .credentialsProvider(credentials(accessKeyId))
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

  KmsEngine engine() {
    return engine;
  }

  // ---- engine control (seeding, reset, time) ----

  /**
   * Forgets every key, alias, grant and journal entry, then applies the seed given to the builder
   * again, so that a test starts from a known state.
   */
  public void reset() {
    journal.clear();
    engine.reset();
  }

  /**
   * Adds the keys, aliases and grants of {@code seed} now, next to what the KMS holds. Unlike a
   * seed given to the {@linkplain Builder#seed(KmsSeed) builder}, this one is not applied again by
   * {@link #reset()}. The seed's tracking start date is ignored (it is fixed when the KMS is
   * built).
   *
   * @throws KmsSeedException if the seed cannot be applied (the message names the field); the KMS
   *     is then left empty, as after a reset without seeds
   */
  public void seed(KmsSeed seed) {
    engine.seed(Objects.requireNonNull(seed, "seed"));
  }

  /**
   * Applies the events that are due by the clock's time now — ended deletion windows, automatic
   * rotations, expired imported material, finished replica creations and primary-Region updates —
   * without waiting for the next request. Requests apply them too; call this before reading the
   * {@linkplain #journal() journal} after moving a test clock.
   */
  public void catchUp() {
    engine.catchUp();
  }

  // ---- transport, companions, faults and quotas

  /**
   * Returns a new SDK CloudTrail client for {@code region} that talks to this KMS's CloudTrail
   * companion in-process, as the default caller. The caller closes it.
   */
  public CloudTrailClient cloudTrailClient(Region region) {
    return cloudTrailClient(region, DEFAULT_ACCESS_KEY_ID);
  }

  /**
   * Returns a new SDK CloudTrail client for {@code region} that signs with {@code accessKeyId}. The
   * caller closes it.
   */
  public CloudTrailClient cloudTrailClient(Region region, String accessKeyId) {
    Objects.requireNonNull(region, "region");
    return CloudTrailClient.builder()
        .httpClient(httpClient())
        .region(region)
        .endpointOverride(URI.create("http://127.0.0.1"))
        .credentialsProvider(credentials(accessKeyId))
        .build();
  }

  /**
   * Returns a new SDK STS client for {@code region} that talks to this KMS's STS companion
   * in-process, as the default caller. The caller closes it.
   */
  public StsClient stsClient(Region region) {
    return stsClient(region, DEFAULT_ACCESS_KEY_ID);
  }

  /**
   * Returns a new SDK STS client for {@code region} that signs with {@code accessKeyId} (such as
   * the temporary access key {@code AssumeRole} returned). The caller closes it.
   */
  public StsClient stsClient(Region region, String accessKeyId) {
    Objects.requireNonNull(region, "region");
    return StsClient.builder()
        .httpClient(httpClient())
        .region(region)
        .endpointOverride(URI.create("http://127.0.0.1"))
        .credentialsProvider(credentials(accessKeyId))
        .build();
  }

  static StaticCredentialsProvider credentials(String accessKeyId) {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(accessKeyId, "local-kms-secret"));
  }

  /** Returns the faults this KMS injects, to change them while it runs and see what they hit. */
  public Faults faults() {
    return faults;
  }

  /** Returns the request quotas enforced now ({@link RequestQuotas#none()} by default). */
  public RequestQuotas requestQuotas() {
    return quotas.quotas();
  }

  /**
   * Enforces {@code quotas} from now on, with full buckets; {@link RequestQuotas#none()} switches
   * them off.
   */
  public void requestQuotas(RequestQuotas quotas) {
    this.quotas.quotas(quotas);
  }

  /**
   * A random version 4 UUID, as AWS request ids look. Request ids are not secrets, so they come
   * from the thread's fast generator rather than {@code UUID.randomUUID()}'s SecureRandom, which
   * cost a noticeable part of an in-process call.
   */
  private static String randomRequestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    // UUID.toString's text, written by Uuids so that the journal reads the id back without parsing
    return Uuids.text(
        (r.nextLong() & ~0xF000L) | 0x4000L,
        (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
  }

  /** Builds a {@link LocalKms}. Not thread-safe; the built instance is. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private final Map<String, Caller> callers = new HashMap<>();
    private Supplier<String> requestIds = LocalKms::randomRequestId;

    // ---- transport, companions, faults and quotas
    private long faultSeed;
    private final List<Fault> faults = new ArrayList<>();
    private RequestQuotas requestQuotas = RequestQuotas.none();
    private final Map<String, AssumableRole> roles = new LinkedHashMap<>();
    private final List<Organization> organizations = new ArrayList<>();

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

    // ---- engine options (seeding, fidelity choices, enforcement) ----

    private PendingDeletionError pendingDeletionError = PendingDeletionError.KMS_INVALID_STATE;
    private Duration replicaCreationDelay = Duration.ZERO;
    private Duration primaryRegionUpdateDelay = Duration.ZERO;
    private Duration onDemandRotationDelay = Duration.ZERO;
    private int onDemandRotationLimit = 25;
    private int maxPageSize;
    private @Nullable Instant trackingStartDate;
    private boolean enforcePolicies;
    private final Map<String, List<IdentityPolicy>> identityPolicies = new LinkedHashMap<>();
    private boolean assumeIamAllows = true;
    private @Nullable Long idSeed;
    private final List<KmsSeed> seeds = new ArrayList<>();

    /**
     * Starts the KMS with the keys of {@code seed} (and returns to them on {@link
     * LocalKms#reset()}). May be called several times; seeds apply in order. A seed's tracking
     * start date applies unless {@link #trackingStartDate} is set.
     *
     * @see KmsSeed
     * @see KmsSeedFile
     */
    public Builder seed(KmsSeed seed) {
      seeds.add(Objects.requireNonNull(seed, "seed"));
      return this;
    }

    /**
     * Sets the error cryptographic operations on a key pending deletion answer with; {@link
     * PendingDeletionError#KMS_INVALID_STATE} by default (AWS allows either).
     */
    public Builder pendingDeletionError(PendingDeletionError error) {
      this.pendingDeletionError = Objects.requireNonNull(error, "error");
      return this;
    }

    /**
     * Sets how long a new multi-Region replica stays in the {@code Creating} key state (it cannot
     * be used or enabled meanwhile); zero by default, so it is {@code Enabled} from the next
     * request on. {@code ReplicateKey}'s own response always shows {@code Creating}, as AWS's does.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Builder replicaCreationDelay(Duration delay) {
      this.replicaCreationDelay = nonNegative("replica creation delay", delay);
      return this;
    }

    /**
     * Sets how long both keys stay {@code Updating} after {@code UpdatePrimaryRegion}; zero by
     * default.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Builder primaryRegionUpdateDelay(Duration delay) {
      this.primaryRegionUpdateDelay = nonNegative("primary Region update delay", delay);
      return this;
    }

    /**
     * Sets how long an on-demand rotation is in progress ({@code GetKeyRotationStatus} shows its
     * {@code OnDemandRotationStartDate} meanwhile); zero by default, so it completes at the next
     * request.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Builder onDemandRotationDelay(Duration delay) {
      this.onDemandRotationDelay = nonNegative("on-demand rotation delay", delay);
      return this;
    }

    /**
     * Sets how many on-demand rotations one key may have; 25 by default, as AWS (not adjustable
     * there).
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public Builder onDemandRotationLimit(int limit) {
      if (limit < 0) {
        throw new IllegalArgumentException(
            String.format("on-demand rotation limit [%d] is negative; expected 0 or more", limit));
      }
      this.onDemandRotationLimit = limit;
      return this;
    }

    /**
     * Caps the page size of every List operation (ListKeys, ListAliases, ListGrants,
     * ListRetirableGrants, ListResourceTags, ListKeyPolicies, ListKeyRotations) at {@code
     * maxPageSize}, whatever {@code Limit} the caller asks for, so that tests exercise their
     * pagination with a few items. By default only AWS's limits apply.
     *
     * @throws IllegalArgumentException if {@code maxPageSize} is less than 1
     */
    public Builder maxPageSize(int maxPageSize) {
      if (maxPageSize < 1) {
        throw new IllegalArgumentException(
            String.format("max page size [%d] is less than 1; expected 1 or more", maxPageSize));
      }
      this.maxPageSize = maxPageSize;
      return this;
    }

    /**
     * Sets when {@code GetKeyLastUsage} tracking began; by default, when this KMS was built. A key
     * created before it reports the tracking start as its {@code TrackingStartDate}.
     */
    public Builder trackingStartDate(Instant trackingStartDate) {
      this.trackingStartDate = Objects.requireNonNull(trackingStartDate, "trackingStartDate");
      return this;
    }

    /**
     * Makes key policies, grants and the IAM policies given with {@link #identityPolicy} decide
     * every request, with core's {@code KeyAccessEvaluator}; refused requests get {@code
     * AccessDeniedException}. Off by default: every signed request is allowed.
     */
    public Builder enforcePolicies(boolean enforcePolicies) {
      this.enforcePolicies = enforcePolicies;
      return this;
    }

    /**
     * Gives {@code principalArn} (a user, role or account root) an IAM policy, for {@link
     * #enforcePolicies(boolean) enforcement}. May be called several times per principal.
     *
     * @throws IllegalArgumentException if {@code policyJson} is not a valid identity policy (the
     *     message says where)
     */
    public Builder identityPolicy(String principalArn, String policyJson) {
      Objects.requireNonNull(principalArn, "principalArn");
      Objects.requireNonNull(policyJson, "policyJson");
      List<IdentityPolicy> list =
          identityPolicies.computeIfAbsent(principalArn, k -> new ArrayList<>());
      list.add(IdentityPolicy.parse(principalArn + "#" + (list.size() + 1), policyJson));
      return this;
    }

    /**
     * Sets what enforcement assumes when a key policy delegates to the account (the "Enable IAM
     * policies" statement) and no {@link #identityPolicy IAM policy} was given for the caller:
     * {@code true} (the default) allows, as an administrator's IAM policy would; {@code false}
     * denies.
     */
    public Builder assumeIamAllowsWhenNoPolicyGiven(boolean allow) {
      this.assumeIamAllows = allow;
      return this;
    }

    /**
     * Makes key ids, grant ids and tokens, key material ids and journal event ids deterministic:
     * with the same seed, the same clock readings and the same calls, a run makes the same ids. Key
     * material is always random.
     */
    public Builder idSeed(long seed) {
      this.idSeed = seed;
      return this;
    }

    private static Duration nonNegative(String what, Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException(
            String.format("%s [%s] is negative; expected zero or more", what, delay));
      }
      return delay;
    }

    private EngineConfig engineConfig() {
      Instant tracking = trackingStartDate;
      for (KmsSeed seed : seeds) {
        if (tracking == null && seed.trackingStartDate().isPresent()) {
          tracking = seed.trackingStartDate().get();
        }
      }
      return new EngineConfig(
          pendingDeletionError.code(),
          replicaCreationDelay,
          primaryRegionUpdateDelay,
          onDemandRotationDelay,
          onDemandRotationLimit,
          maxPageSize,
          tracking,
          enforcePolicies,
          identityPolicies,
          assumeIamAllows);
    }

    // ---- transport, companions, faults and quotas

    /**
     * Sets the seed that decides which requests faults with a probability below 1 hit (0 by
     * default); see {@link Fault#withProbability(double)}.
     */
    public Builder faultSeed(long seed) {
      this.faultSeed = seed;
      return this;
    }

    /** Adds a fault to inject from the start; see {@link Fault} and {@link LocalKms#faults()}. */
    public Builder fault(Fault fault) {
      faults.add(Objects.requireNonNull(fault, "fault"));
      return this;
    }

    /**
     * Enforces {@code quotas} ({@link RequestQuotas#none()} by default, {@link
     * RequestQuotas#defaults()} for AWS's); see {@link LocalKms#requestQuotas(RequestQuotas)}.
     */
    public Builder requestQuotas(RequestQuotas quotas) {
      this.requestQuotas = Objects.requireNonNull(quotas, "quotas");
      return this;
    }

    /**
     * Registers a role the STS companion's {@code AssumeRole} can hand out sessions for, replacing
     * one with the same ARN.
     */
    public Builder assumableRole(AssumableRole role) {
      Objects.requireNonNull(role, "role");
      roles.put(role.roleArn(), role);
      return this;
    }

    /**
     * Adds an organization for the Organizations companion (and for CloudTrail's organization
     * trails). Every account it created ({@link OrganizationAccount.Builder#joinedMethod(String)}
     * {@code CREATED}) gets the role {@code OrganizationAccountAccessRole}, trusting the management
     * account, unless a role with that ARN is registered.
     */
    public Builder organization(Organization organization) {
      organizations.add(Objects.requireNonNull(organization, "organization"));
      return this;
    }

    /**
     * Builds the embedded KMS.
     *
     * @throws KmsSeedException if a seed cannot be applied (the message names the field)
     * @throws IllegalArgumentException if an account belongs to two organizations
     */
    public LocalKms build() {
      return new LocalKms(this);
    }
  }
}
