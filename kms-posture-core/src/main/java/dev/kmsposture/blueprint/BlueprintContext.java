package dev.kmsposture.blueprint;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where, when and by whom a blueprint's key would be created, and what blocks it: the facts {@link
 * KeyBlueprint#validate(BlueprintContext)} needs beyond the blueprint.
 *
 * <pre>{@code
 * BlueprintContext context = BlueprintContext.builder(AccountId.of("123456789012"), "us-east-1")
 *     .caller("arn:aws:iam::123456789012:role/Provisioner")
 *     .now(clock.instant())
 *     .build();
 * }</pre>
 */
public final class BlueprintContext {
  private final AccountId account;
  private final String partition;
  private final String region;
  private final @Nullable String caller;
  private final List<String> extraAdministrators;
  private final PostureConfig config;
  private final Severity blockingSeverity;
  private final Instant now;

  private BlueprintContext(Builder b) {
    this.account = b.account;
    this.partition = b.partition;
    this.region = b.region;
    this.caller = b.caller;
    this.extraAdministrators = List.copyOf(b.extraAdministrators);
    this.config = b.config;
    this.blockingSeverity = b.blockingSeverity;
    this.now = b.now;
  }

  /** Returns a builder for a key in {@code account} and {@code region}. */
  public static Builder builder(AccountId account, String region) {
    return new Builder(account, region);
  }

  /** Returns the key's account. */
  public AccountId account() {
    return account;
  }

  /** Returns the partition, set with {@link Builder#partition(String)}. */
  public String partition() {
    return partition;
  }

  /** Returns the Region of the key (the primary, for a multi-Region key). */
  public String region() {
    return region;
  }

  /** Returns the caller, set with {@link Builder#caller(String)}. */
  public Optional<String> caller() {
    return Optional.ofNullable(caller);
  }

  /**
   * Returns the administrators added to the blueprint's roles, set with {@link
   * Builder#addAdministrator(String)}.
   */
  public List<String> extraAdministrators() {
    return extraAdministrators;
  }

  /** Returns the posture configuration, set with {@link Builder#config(PostureConfig)}. */
  public PostureConfig config() {
    return config;
  }

  /** Returns the blocking severity, set with {@link Builder#blockingSeverity(Severity)}. */
  public Severity blockingSeverity() {
    return blockingSeverity;
  }

  /** Returns the time the key would be created, set with {@link Builder#now(Instant)}. */
  public Instant now() {
    return now;
  }

  /** Builds a {@link BlueprintContext}. Not thread-safe. */
  public static final class Builder {
    private final AccountId account;
    private final String region;
    private String partition = "aws";
    private @Nullable String caller;
    private final List<String> extraAdministrators = new ArrayList<>();
    private PostureConfig config = PostureConfig.defaults();
    private Severity blockingSeverity = Severity.RECOMMENDED;
    private Instant now = Instant.now();

    private Builder(AccountId account, String region) {
      this.account = Objects.requireNonNull(account, "account");
      this.region = Objects.requireNonNull(region, "region");
    }

    /** Sets the partition ({@code aws} by default). */
    public Builder partition(String partition) {
      this.partition = Objects.requireNonNull(partition, "partition");
      return this;
    }

    /**
     * Sets the principal that will make the calls: KMS's lockout safety check is run for it when
     * the policy is built.
     */
    public Builder caller(String caller) {
      this.caller = Objects.requireNonNull(caller, "caller");
      return this;
    }

    /** Adds an administrator to the blueprint's roles (the provisioner adds the caller so). */
    public Builder addAdministrator(String arn) {
      extraAdministrators.add(Objects.requireNonNull(arn, "arn"));
      return this;
    }

    /**
     * Sets the posture configuration the rules judge against ({@link PostureConfig#defaults()}).
     */
    public Builder config(PostureConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the lowest severity whose failures stop the blueprint; {@link Severity#RECOMMENDED} by
     * default (so {@link Severity#OPTIONAL} findings are reported but do not block).
     */
    public Builder blockingSeverity(Severity severity) {
      this.blockingSeverity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /** Sets the time the key would be created (the rules' "now"); the current time by default. */
    public Builder now(Instant now) {
      this.now = Objects.requireNonNull(now, "now");
      return this;
    }

    /** Builds the context. */
    public BlueprintContext build() {
      return new BlueprintContext(this);
    }
  }
}
