package dev.kmsposture.aws.provision;

import dev.kmsposture.aws.scan.RegionalKmsClients;
import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Severity;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Creates customer-managed KMS keys correctly the first time, from a {@link KeyBlueprint}, with
 * clients the caller built and owns.
 *
 * <pre>{@code
 * try (KmsClient kms = KmsClient.builder().region(Region.US_EAST_1).build();
 *     StsClient sts = StsClient.builder().region(Region.US_EAST_1).build()) {
 *   KeyProvisioner provisioner = KeyProvisioner.using(kms, sts);
 *   ProvisioningPlan plan = provisioner.plan(KeyBlueprint.fromYaml(yaml));
 *   System.out.println(plan);                 // review the exact calls
 *   ProvisionedKey key = provisioner.apply(plan);
 *   Files.writeString(Path.of("adr/payments-key.md"), key.adr());
 * }
 * }</pre>
 *
 * <h2>Plan</h2>
 *
 * {@link #plan(KeyBlueprint)} makes no change. It asks STS who the caller is (unless {@linkplain
 * Builder#caller(String) given}), looks the alias up, judges the blueprint with the posture rules
 * on a snapshot of the key it would create (anything at or above the {@linkplain
 * Builder#blockingSeverity(Severity) blocking severity} stops it, unless overridden with a written
 * reason), and lists the exact calls: for a new key {@code CreateKey} (never with {@code
 * BypassPolicyLockoutSafetyCheck}), {@code CreateAlias}, {@code EnableKeyRotation} with the period,
 * and per replica {@code ReplicateKey} with the replica's policy, description and tags plus {@code
 * CreateAlias} in its Region; for a key that exists behind the alias only the calls that converge
 * it. It then checks with the access evaluator that the blueprint's policy lets the caller make
 * every call, the verification reads and the clean-up calls, and keep {@code PutKeyPolicy} — or
 * fails naming the missing actions (or, when {@linkplain Builder#addCallerAsAdministrator(boolean)
 * configured}, names the caller an administrator).
 *
 * <h2>Apply</h2>
 *
 * {@link #apply(ProvisioningPlan)} makes the calls, retrying KMS's eventual-consistency errors
 * ({@code NotFoundException}, {@code KMSInvalidStateException} while a key is {@code Creating}) for
 * a bounded time, then reads the key back until every property matches or a deadline passes. {@code
 * CreateKey} has no idempotency token, so it is sent without the SDK's retries and carries a unique
 * run tag; after a failure that may hide a created key the provisioner looks for the tag before
 * trying again. After any failure it sweeps the account for the run tag and retires every key it
 * finds — tagged as failed provisioning, disabled, and (replicas first) scheduled for deletion with
 * the minimum window — then throws a {@link ProvisioningException} that says what state everything
 * is in. Applying the same blueprint again makes no change.
 *
 * <p>Thread-safe: plans and applies share nothing but the caller's clients.
 */
public final class KeyProvisioner {
  private final Settings settings;

  private KeyProvisioner(Settings settings) {
    this.settings = settings;
  }

  /**
   * Returns a provisioner that uses {@code kms} (whose Region is the key's) and asks {@code sts}
   * who the caller is, with every default.
   */
  public static KeyProvisioner using(KmsClient kms, StsClient sts) {
    return builder().kmsClient(kms).stsClient(sts).build();
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Plans the calls that create the key of {@code blueprint}, or converge the existing one. Makes
   * no change.
   *
   * @throws dev.kmsposture.blueprint.InsecureBlueprintException if the posture rules fail the
   *     blueprint at or above the blocking severity
   * @throws dev.kmsposture.leastprivilege.InsecurePolicyException if the roles build an insecure
   *     policy (one that locks the caller out, unless the caller may be added as administrator)
   * @throws ProvisioningPlanException if the caller could not make every call, the alias points at
   *     a key that cannot match, or a read the plan needs fails
   */
  public ProvisioningPlan plan(KeyBlueprint blueprint) {
    Objects.requireNonNull(blueprint, "blueprint");
    return new Planner(settings).plan(blueprint);
  }

  /**
   * Makes the calls of {@code plan} and verifies the result.
   *
   * @return the key and what was verified
   * @throws ProvisioningException if a call failed or the key never matched the blueprint; the keys
   *     the run created are cleaned up first and the exception says how
   */
  public ProvisionedKey apply(ProvisioningPlan plan) {
    Objects.requireNonNull(plan, "plan");
    return new Executor(settings, plan).apply();
  }

  /** Plans and applies in one step: {@code apply(plan(blueprint))}. */
  public ProvisionedKey provision(KeyBlueprint blueprint) {
    return apply(plan(blueprint));
  }

  /** Builds a {@link KeyProvisioner}. Not thread-safe. */
  public static final class Builder {
    private @Nullable KmsClient kms;
    private @Nullable RegionalKmsClients regional;
    private @Nullable StsClient sts;
    private @Nullable String caller;
    private boolean addCallerAsAdministrator;
    private boolean keepFailedKeys;
    private PostureConfig config = PostureConfig.defaults();
    private Severity blockingSeverity = Severity.RECOMMENDED;
    private Clock clock = Clock.systemUTC();
    private Duration consistencyTimeout = Duration.ofMinutes(2);
    private Duration verificationTimeout = Duration.ofMinutes(2);
    private Duration pollInterval = Duration.ofMillis(500);
    private KmsCalls.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private Supplier<String> runIds = () -> UUID.randomUUID().toString();
    private int createKeyAttempts = 4;

    private Builder() {}

    /** Sets the KMS client of the key's Region. Required; the caller owns and closes it. */
    public Builder kmsClient(KmsClient kms) {
      this.kms = Objects.requireNonNull(kms, "kms");
      return this;
    }

    /**
     * Sets the clients of the replica Regions, needed for multi-Region blueprints (replicas are
     * aliased, tagged and verified in their own Region).
     */
    public Builder regionalClients(RegionalKmsClients clients) {
      this.regional = Objects.requireNonNull(clients, "clients");
      return this;
    }

    /** Sets the STS client that tells who the caller is, unless {@link #caller(String)} is set. */
    public Builder stsClient(StsClient sts) {
      this.sts = Objects.requireNonNull(sts, "sts");
      return this;
    }

    /**
     * Names the principal that will make the calls, instead of asking STS — for plans made offline
     * or run later by a pipeline role. Give the role ARN (with its path) rather than a session ARN
     * when the caller may be added as an administrator.
     */
    public Builder caller(String callerArn) {
      this.caller = Objects.requireNonNull(callerArn, "callerArn");
      return this;
    }

    /**
     * When the blueprint's policy would not let the caller make every call of the plan (or keep
     * {@code PutKeyPolicy}), names the caller an administrator instead of refusing; false by
     * default. The plan's notes say so.
     */
    public Builder addCallerAsAdministrator(boolean add) {
      this.addCallerAsAdministrator = add;
      return this;
    }

    /**
     * Keeps the keys of a failed run (tagged and disabled) instead of scheduling their deletion;
     * false by default.
     */
    public Builder keepFailedKeys(boolean keep) {
      this.keepFailedKeys = keep;
      return this;
    }

    /** Sets the posture configuration the blueprint is judged against. */
    public Builder postureConfig(PostureConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Sets the lowest severity whose failures stop a blueprint; RECOMMENDED by default. */
    public Builder blockingSeverity(Severity severity) {
      this.blockingSeverity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /** Sets the clock for the validation's "now" (the system clock by default). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how long calls after {@code CreateKey}/{@code ReplicateKey} are retried while KMS
     * answers {@code NotFoundException} or {@code KMSInvalidStateException}; 2 minutes by default.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder consistencyTimeout(Duration timeout) {
      this.consistencyTimeout = positive("consistencyTimeout", timeout);
      return this;
    }

    /**
     * Sets how long the key is read back until it matches the blueprint; 2 minutes by default.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder verificationTimeout(Duration timeout) {
      this.verificationTimeout = positive("verificationTimeout", timeout);
      return this;
    }

    /**
     * Sets the first pause between attempts (it doubles, up to a few seconds); 500 ms by default.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive("pollInterval", interval);
      return this;
    }

    /**
     * Sets how the values of the run tag are made (random UUIDs by default); tests give fixed ones.
     */
    public Builder runIds(Supplier<String> runIds) {
      this.runIds = Objects.requireNonNull(runIds, "runIds");
      return this;
    }

    /**
     * Sets how many times {@code CreateKey} is sent at most (4 by default); between attempts the
     * run tag is looked for, so a key whose answer was lost is used, not duplicated.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder createKeyAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException(
            String.format("createKeyAttempts [%d] is below 1", attempts));
      }
      this.createKeyAttempts = attempts;
      return this;
    }

    Builder sleeper(KmsCalls.Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Builds the provisioner.
     *
     * @throws IllegalStateException if no KMS client is set
     */
    public KeyProvisioner build() {
      if (kms == null) {
        throw new IllegalStateException(
            "a provisioner needs the KMS client of the key's Region; call kmsClient(...)");
      }
      return new KeyProvisioner(
          new Settings(
              kms,
              regional,
              sts,
              caller,
              addCallerAsAdministrator,
              keepFailedKeys,
              config,
              blockingSeverity,
              clock,
              consistencyTimeout,
              verificationTimeout,
              pollInterval,
              sleeper,
              runIds,
              createKeyAttempts));
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(String.format("%s [%s] must be positive", name, d));
      }
      return d;
    }
  }
}
