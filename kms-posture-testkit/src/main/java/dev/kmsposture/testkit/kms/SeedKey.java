package dev.kmsposture.testkit.kms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A KMS key as a test wants it to exist before the first request: its id, account and Region, key
 * spec and usage, state, policy, aliases, tags, grants, rotation settings and history, replicas,
 * imported-material expiry and last usage.
 *
 * <pre>{@code
 * SeedKey key = SeedKey.builder()
 *     .keyId("1234abcd-12ab-34cd-56ef-1234567890ab")
 *     .description("orders")
 *     .addAlias("alias/orders")
 *     .putTag("env", "prod")
 *     .rotationEnabled(true)
 *     .build();
 * LocalKms kms = LocalKms.builder().seed(KmsSeed.builder().key(key).build()).build();
 * }</pre>
 *
 * <p>Setters check their own value; {@link Builder#build()} checks the combination (for example,
 * rotation only on symmetric keys with KMS material, replicas only on multi-Region keys). What
 * depends on other keys (unique ids and aliases) and the policy syntax are checked when the seed is
 * applied. Immutable; the builder is not thread-safe.
 */
public final class SeedKey {
  private static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");
  private static final Pattern KEY_ID =
      Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}");
  private static final Pattern ALIAS = Pattern.compile("^alias/[a-zA-Z0-9:/_-]+$");
  static final Set<String> STATES =
      Set.of("Enabled", "Disabled", "PendingDeletion", "PendingImport");
  static final Set<String> USAGE_OPERATIONS =
      Set.of(
          "Decrypt",
          "DeriveSharedSecret",
          "Encrypt",
          "GenerateDataKey",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext",
          "GenerateDataKeyWithoutPlaintext",
          "GenerateMac",
          "ReEncrypt",
          "Sign",
          "Verify",
          "VerifyMac");
  private static final List<String> SPECS =
      List.of(
          "SYMMETRIC_DEFAULT",
          "RSA_2048",
          "RSA_3072",
          "RSA_4096",
          "ECC_NIST_P256",
          "ECC_NIST_P384",
          "ECC_NIST_P521",
          "ECC_SECG_P256K1",
          "ECC_NIST_EDWARDS25519",
          "HMAC_224",
          "HMAC_256",
          "HMAC_384",
          "HMAC_512",
          "SM2",
          "ML_DSA_44",
          "ML_DSA_65",
          "ML_DSA_87",
          "ML_KEM_512",
          "ML_KEM_768",
          "ML_KEM_1024");
  private static final List<String> USAGES =
      List.of(
          "ENCRYPT_DECRYPT",
          "SIGN_VERIFY",
          "GENERATE_VERIFY_MAC",
          "KEY_AGREEMENT",
          "ENCAPSULATE_DECAPSULATE");

  private final String account;
  private final String region;
  private final @Nullable String keyId;
  private final String description;
  private final String keySpec;
  private final String keyUsage;
  private final String origin;
  private final boolean awsManaged;
  private final boolean multiRegion;
  private final String state;
  private final @Nullable Instant deletionDate;
  private final @Nullable Instant creationDate;
  private final @Nullable String policy;
  private final Map<String, String> tags;
  private final List<String> aliases;
  private final List<SeedGrant> grants;
  private final boolean rotationEnabled;
  private final int rotationPeriodInDays;
  private final @Nullable Instant nextRotationDate;
  private final List<SeedRotation> rotations;
  private final boolean materialImported;
  private final @Nullable Instant materialExpiresAt;
  private final List<SeedReplica> replicas;
  private final @Nullable String lastUsedOperation;
  private final @Nullable Instant lastUsedAt;

  private SeedKey(Builder b, String usage, boolean imported) {
    this.account = b.account;
    this.region = b.region;
    this.keyId = b.keyId;
    this.description = b.description;
    this.keySpec = b.keySpec;
    this.keyUsage = usage;
    this.origin = b.origin;
    this.awsManaged = b.awsManaged;
    this.multiRegion = b.multiRegion;
    this.state = b.state;
    this.deletionDate = b.deletionDate;
    this.creationDate = b.creationDate;
    this.policy = b.policy;
    this.tags = Collections.unmodifiableMap(new TreeMap<>(b.tags));
    this.aliases = List.copyOf(b.aliases);
    this.grants = List.copyOf(b.grants);
    this.rotationEnabled = b.rotationEnabled;
    this.rotationPeriodInDays = b.rotationPeriodInDays;
    this.nextRotationDate = b.nextRotationDate;
    this.rotations = List.copyOf(b.rotations);
    this.materialImported = imported;
    this.materialExpiresAt = b.materialExpiresAt;
    this.replicas = List.copyOf(b.replicas);
    this.lastUsedOperation = b.lastUsedOperation;
    this.lastUsedAt = b.lastUsedAt;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The key's account; see {@link Builder#account}. */
  public String account() {
    return account;
  }

  /** The key's Region (the primary's, for a multi-Region key); see {@link Builder#region}. */
  public String region() {
    return region;
  }

  /** The key id; see {@link Builder#keyId}. */
  public Optional<String> keyId() {
    return Optional.ofNullable(keyId);
  }

  /** The description; see {@link Builder#description}. */
  public String description() {
    return description;
  }

  /** The key spec; see {@link Builder#keySpec}. */
  public String keySpec() {
    return keySpec;
  }

  /** The key usage; see {@link Builder#keyUsage}. */
  public String keyUsage() {
    return keyUsage;
  }

  /** The origin of the key material; see {@link Builder#origin}. */
  public String origin() {
    return origin;
  }

  /** Whether the key is an AWS managed key; see {@link Builder#awsManaged}. */
  public boolean isAwsManaged() {
    return awsManaged;
  }

  /** Whether the key is a multi-Region primary key; see {@link Builder#multiRegion}. */
  public boolean isMultiRegion() {
    return multiRegion;
  }

  /** The key state; see {@link Builder#state}. */
  public String state() {
    return state;
  }

  /** When a key pending deletion is deleted; see {@link Builder#deletionDate}. */
  public Optional<Instant> deletionDate() {
    return Optional.ofNullable(deletionDate);
  }

  /** The creation date; see {@link Builder#creationDate}. */
  public Optional<Instant> creationDate() {
    return Optional.ofNullable(creationDate);
  }

  /** The key policy; see {@link Builder#policy}. */
  public Optional<String> policy() {
    return Optional.ofNullable(policy);
  }

  /** The tags, sorted by key. */
  public Map<String, String> tags() {
    return tags;
  }

  /** The aliases. */
  public List<String> aliases() {
    return aliases;
  }

  /** The grants. */
  public List<SeedGrant> grants() {
    return grants;
  }

  /** Whether automatic rotation is enabled; see {@link Builder#rotationEnabled}. */
  public boolean isRotationEnabled() {
    return rotationEnabled;
  }

  /** The rotation period; see {@link Builder#rotationPeriodInDays}. */
  public int rotationPeriodInDays() {
    return rotationPeriodInDays;
  }

  /** The next automatic rotation; see {@link Builder#nextRotationDate}. */
  public Optional<Instant> nextRotationDate() {
    return Optional.ofNullable(nextRotationDate);
  }

  /** The rotations the key already had, oldest first. */
  public List<SeedRotation> rotations() {
    return rotations;
  }

  /** Whether an EXTERNAL key has its material imported; see {@link Builder#materialImported}. */
  public boolean isMaterialImported() {
    return materialImported;
  }

  /** When imported material expires; see {@link Builder#materialExpiresAt}. */
  public Optional<Instant> materialExpiresAt() {
    return Optional.ofNullable(materialExpiresAt);
  }

  /** The replicas of a multi-Region key. */
  public List<SeedReplica> replicas() {
    return replicas;
  }

  /** The operation of the key's last use, if it was used. */
  public Optional<String> lastUsedOperation() {
    return Optional.ofNullable(lastUsedOperation);
  }

  /** When the key was last used, if it was. */
  public Optional<Instant> lastUsedAt() {
    return Optional.ofNullable(lastUsedAt);
  }

  @Override
  public String toString() {
    return "SeedKey["
        + (keyId == null ? "(generated id)" : keyId)
        + ", "
        + account
        + ", "
        + region
        + ", "
        + keySpec
        + ", "
        + state
        + "]";
  }

  // ---- checks shared with SeedReplica and the seed file reader ----

  static String requireRegion(String region) {
    Objects.requireNonNull(region, "region");
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          String.format("region [%s] is not a Region name; expected e.g. us-east-1", region));
    }
    return region;
  }

  static String requireDescription(String description) {
    Objects.requireNonNull(description, "description");
    if (description.length() > 8192) {
      throw new IllegalArgumentException(
          String.format(
              "description has %d characters; KMS allows at most 8192", description.length()));
    }
    return description;
  }

  static void checkTag(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (key.isEmpty() || key.length() > 128) {
      throw new IllegalArgumentException(
          String.format("tag key [%s] has %d characters; expected 1 to 128", key, key.length()));
    }
    if (value.length() > 256) {
      throw new IllegalArgumentException(
          String.format(
              "tag value of [%s] has %d characters; expected at most 256", key, value.length()));
    }
    if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
      throw new IllegalArgumentException(
          String.format("tag key [%s] begins with aws:, which AWS reserves", key));
    }
  }

  static String requireAlias(String alias, boolean awsManaged) {
    Objects.requireNonNull(alias, "alias");
    if (alias.length() > 256 || !ALIAS.matcher(alias).matches()) {
      throw new IllegalArgumentException(
          String.format(
              "alias [%s] is not valid; expected alias/ and 1 to 250 characters of a-z A-Z 0-9 :"
                  + " / _ -",
              alias));
    }
    boolean reserved = alias.toLowerCase(Locale.ROOT).startsWith("alias/aws/");
    if (reserved && !awsManaged) {
      throw new IllegalArgumentException(
          String.format(
              "alias [%s] begins with alias/aws/, which AWS reserves for AWS managed keys", alias));
    }
    return alias;
  }

  static String requireState(String state) {
    Objects.requireNonNull(state, "state");
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException(
          String.format(
              "key state [%s] is not valid for a seed; expected Enabled, Disabled,"
                  + " PendingDeletion or PendingImport",
              state));
    }
    return state;
  }

  static String requireUsageOperation(String operation) {
    Objects.requireNonNull(operation, "operation");
    if (!USAGE_OPERATIONS.contains(operation)) {
      throw new IllegalArgumentException(
          String.format(
              "operation [%s] is not one GetKeyLastUsage reports; expected one of %s",
              operation, sorted(USAGE_OPERATIONS)));
    }
    return operation;
  }

  private static List<String> sorted(Set<String> values) {
    List<String> list = new ArrayList<>(values);
    Collections.sort(list);
    return list;
  }

  /** Builds a {@link SeedKey}. Not thread-safe. */
  public static final class Builder {
    private String account = Caller.DEFAULT_ACCOUNT.value();
    private String region = "us-east-1";
    private @Nullable String keyId;
    private String description = "";
    private String keySpec = "SYMMETRIC_DEFAULT";
    private @Nullable String keyUsage;
    private String origin = "AWS_KMS";
    private boolean awsManaged;
    private boolean multiRegion;
    private String state = "Enabled";
    private @Nullable Instant deletionDate;
    private @Nullable Instant creationDate;
    private @Nullable String policy;
    private final Map<String, String> tags = new TreeMap<>();
    private final List<String> aliases = new ArrayList<>();
    private final List<SeedGrant> grants = new ArrayList<>();
    private boolean rotationEnabled;
    private int rotationPeriodInDays = 365;
    private @Nullable Instant nextRotationDate;
    private final List<SeedRotation> rotations = new ArrayList<>();
    private @Nullable Boolean materialImported;
    private @Nullable Instant materialExpiresAt;
    private final List<SeedReplica> replicas = new ArrayList<>();
    private @Nullable String lastUsedOperation;
    private @Nullable Instant lastUsedAt;

    private Builder() {}

    /** Sets the key's account (12 digits); {@link Caller#DEFAULT_ACCOUNT} by default. */
    public Builder account(String account) {
      Objects.requireNonNull(account, "account");
      if (!account.matches("\\d{12}")) {
        throw new IllegalArgumentException(
            String.format("account [%s] is not a 12-digit account id", account));
      }
      this.account = account;
      return this;
    }

    /** Sets the key's Region; {@code us-east-1} by default. */
    public Builder region(String region) {
      this.region = requireRegion(region);
      return this;
    }

    /**
     * Sets the key id: a lower-case UUID, or {@code mrk-} and 32 hex digits for a multi-Region key.
     * A random one by default.
     *
     * @throws IllegalArgumentException if the id has neither form
     */
    public Builder keyId(String keyId) {
      Objects.requireNonNull(keyId, "keyId");
      if (!KEY_ID.matcher(keyId).matches()) {
        throw new IllegalArgumentException(
            String.format(
                "key id [%s] is not a KMS key id; expected a lower-case UUID, or mrk- and 32"
                    + " lower-case hex digits for a multi-Region key",
                keyId));
      }
      this.keyId = keyId;
      return this;
    }

    /** Sets the description (at most 8192 characters); empty by default. */
    public Builder description(String description) {
      this.description = requireDescription(description);
      return this;
    }

    /** Sets the key spec, such as {@code RSA_2048}; {@code SYMMETRIC_DEFAULT} by default. */
    public Builder keySpec(String keySpec) {
      Objects.requireNonNull(keySpec, "keySpec");
      if (!SPECS.contains(keySpec)) {
        throw new IllegalArgumentException(
            String.format("key spec [%s] is not valid; expected one of %s", keySpec, SPECS));
      }
      this.keySpec = keySpec;
      return this;
    }

    /**
     * Sets the key usage; by default {@code ENCRYPT_DECRYPT} for symmetric and RSA keys, {@code
     * GENERATE_VERIFY_MAC} for HMAC keys and {@code SIGN_VERIFY} otherwise.
     */
    public Builder keyUsage(String keyUsage) {
      Objects.requireNonNull(keyUsage, "keyUsage");
      if (!USAGES.contains(keyUsage)) {
        throw new IllegalArgumentException(
            String.format("key usage [%s] is not valid; expected one of %s", keyUsage, USAGES));
      }
      this.keyUsage = keyUsage;
      return this;
    }

    /** Sets the origin of the key material: {@code AWS_KMS} (default) or {@code EXTERNAL}. */
    public Builder origin(String origin) {
      Objects.requireNonNull(origin, "origin");
      if (!origin.equals("AWS_KMS") && !origin.equals("EXTERNAL")) {
        throw new IllegalArgumentException(
            String.format(
                "origin [%s] is not valid for a seed; expected AWS_KMS or EXTERNAL (the embedded"
                    + " KMS has no custom key stores)",
                origin));
      }
      this.origin = origin;
      return this;
    }

    /**
     * Makes the key an AWS managed key ({@code KeyManager=AWS}): customers cannot change its
     * policy, state, rotation or tags, its rotation is always on (every 365 days), and its aliases
     * begin with {@code alias/aws/}.
     */
    public Builder awsManaged(boolean awsManaged) {
      this.awsManaged = awsManaged;
      return this;
    }

    /** Makes the key a multi-Region primary key (its id must then begin with {@code mrk-}). */
    public Builder multiRegion(boolean multiRegion) {
      this.multiRegion = multiRegion;
      return this;
    }

    /**
     * Sets the key state: {@code Enabled} (default), {@code Disabled}, {@code PendingDeletion}
     * (with a {@link #deletionDate}) or {@code PendingImport} (EXTERNAL keys without material).
     */
    public Builder state(String state) {
      this.state = requireState(state);
      return this;
    }

    /** Sets when a key in {@code PendingDeletion} is deleted. */
    public Builder deletionDate(Instant deletionDate) {
      this.deletionDate = Objects.requireNonNull(deletionDate, "deletionDate");
      return this;
    }

    /** Sets the creation date; the clock's time when the seed is applied by default. */
    public Builder creationDate(Instant creationDate) {
      this.creationDate = Objects.requireNonNull(creationDate, "creationDate");
      return this;
    }

    /**
     * Sets the key policy, stored verbatim; KMS's default key policy by default. It is parsed
     * strictly when the seed is applied; the lockout safety check does not apply to seeds.
     */
    public Builder policy(String policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Adds a tag (key 1–128 characters without the {@code aws:} prefix, value 0–256). */
    public Builder putTag(String key, String value) {
      checkTag(key, value);
      tags.put(key, value);
      return this;
    }

    /** Replaces the tags. */
    public Builder tags(Map<String, String> tags) {
      this.tags.clear();
      tags.forEach(this::putTag);
      return this;
    }

    /** Adds an alias in the key's Region, such as {@code alias/orders}. */
    public Builder addAlias(String alias) {
      Objects.requireNonNull(alias, "alias");
      aliases.add(alias);
      return this;
    }

    /** Replaces the aliases. */
    public Builder aliases(Collection<String> aliases) {
      this.aliases.clear();
      aliases.forEach(this::addAlias);
      return this;
    }

    /** Adds a grant. */
    public Builder addGrant(SeedGrant grant) {
      grants.add(Objects.requireNonNull(grant, "grant"));
      return this;
    }

    /** Adds a grant built by {@code grant}. */
    public Builder addGrant(Consumer<SeedGrant.Builder> grant) {
      SeedGrant.Builder b = SeedGrant.builder();
      grant.accept(b);
      return addGrant(b.build());
    }

    /** Turns automatic rotation on or off (off by default). */
    public Builder rotationEnabled(boolean rotationEnabled) {
      this.rotationEnabled = rotationEnabled;
      return this;
    }

    /**
     * Sets the rotation period, 90 to 2560 days; 365 by default.
     *
     * @throws IllegalArgumentException if the period is outside 90 to 2560
     */
    public Builder rotationPeriodInDays(int days) {
      if (days < 90 || days > 2560) {
        throw new IllegalArgumentException(
            String.format("rotation period [%d] days is not valid; expected 90 to 2560", days));
      }
      this.rotationPeriodInDays = days;
      return this;
    }

    /**
     * Sets the next automatic rotation; by default the period after the last automatic rotation (or
     * after the creation date). Rotations due before the clock's time happen at the next request,
     * each at its own time.
     */
    public Builder nextRotationDate(Instant nextRotationDate) {
      this.nextRotationDate = Objects.requireNonNull(nextRotationDate, "nextRotationDate");
      return this;
    }

    /** Adds a rotation the key already had. */
    public Builder addRotation(SeedRotation rotation) {
      rotations.add(Objects.requireNonNull(rotation, "rotation"));
      return this;
    }

    /** Replaces the rotation history. */
    public Builder rotations(Collection<SeedRotation> rotations) {
      this.rotations.clear();
      rotations.forEach(this::addRotation);
      return this;
    }

    /**
     * Sets whether an {@code EXTERNAL} key has its material imported; by default it has, unless its
     * state is {@code PendingImport}. The material is random.
     */
    public Builder materialImported(boolean materialImported) {
      this.materialImported = materialImported;
      return this;
    }

    /**
     * Sets when the imported material of an {@code EXTERNAL} key expires ({@code
     * KEY_MATERIAL_EXPIRES}); when the clock passes it, KMS deletes the material and the key
     * becomes {@code PendingImport}.
     */
    public Builder materialExpiresAt(Instant validTo) {
      this.materialExpiresAt = Objects.requireNonNull(validTo, "validTo");
      return this;
    }

    /** Adds a replica of this multi-Region key. */
    public Builder addReplica(SeedReplica replica) {
      replicas.add(Objects.requireNonNull(replica, "replica"));
      return this;
    }

    /** Adds a replica built by {@code replica}. */
    public Builder addReplica(Consumer<SeedReplica.Builder> replica) {
      SeedReplica.Builder b = SeedReplica.builder();
      replica.accept(b);
      return addReplica(b.build());
    }

    /**
     * Records that the key was last used by {@code operation} (a cryptographic operation
     * GetKeyLastUsage reports, such as {@code Decrypt}) at {@code at}.
     */
    public Builder lastUsed(String operation, Instant at) {
      this.lastUsedOperation = requireUsageOperation(operation);
      this.lastUsedAt = Objects.requireNonNull(at, "at");
      return this;
    }

    /**
     * Builds the seed key.
     *
     * @throws IllegalStateException if the settings do not fit together: a key usage the spec does
     *     not allow; a multi-Region key without an {@code mrk-} id (or the reverse); replicas on a
     *     single-Region key; {@code PendingImport} or expiring material on a key whose material is
     *     not imported; {@code PendingDeletion} without a deletion date; rotation settings or
     *     history on a key that cannot rotate; more than 50 tags; aliases an AWS managed key cannot
     *     or a customer key may not have
     */
    public SeedKey build() {
      String usage = keyUsage != null ? keyUsage : defaultUsage(keySpec);
      if (!allowedUsages(keySpec).contains(usage)) {
        throw new IllegalStateException(
            String.format("key usage %s is not compatible with key spec %s", usage, keySpec));
      }
      if (keyId != null && keyId.startsWith("mrk-") != multiRegion) {
        throw new IllegalStateException(
            multiRegion
                ? String.format("multi-Region key id [%s] must begin with mrk-", keyId)
                : String.format(
                    "key id [%s] begins with mrk-, which only multi-Region keys have; set"
                        + " multiRegion(true)",
                    keyId));
      }
      if (!replicas.isEmpty() && !multiRegion) {
        throw new IllegalStateException("replicas need a multi-Region key; set multiRegion(true)");
      }
      Set<String> replicaRegions = new java.util.HashSet<>();
      for (SeedReplica r : replicas) {
        if (r.region().equals(region) || !replicaRegions.add(r.region())) {
          throw new IllegalStateException(
              String.format(
                  "replica Region [%s] is the primary's Region or appears twice; a multi-Region"
                      + " key has at most one key per Region",
                  r.region()));
        }
      }
      boolean external = origin.equals("EXTERNAL");
      boolean imported =
          external
              && (materialImported != null ? materialImported : !state.equals("PendingImport"));
      if (state.equals("PendingImport") && (!external || imported)) {
        throw new IllegalStateException(
            "state PendingImport needs an EXTERNAL key whose material is not imported");
      }
      if (external && !imported && !state.equals("PendingImport")) {
        throw new IllegalStateException(
            String.format(
                "an EXTERNAL key without imported material is PendingImport, not %s", state));
      }
      if (materialExpiresAt != null && !imported) {
        throw new IllegalStateException(
            "materialExpiresAt needs an EXTERNAL key with imported material");
      }
      if (state.equals("PendingDeletion") && deletionDate == null) {
        throw new IllegalStateException("state PendingDeletion needs a deletionDate");
      }
      boolean rotatable = keySpec.equals("SYMMETRIC_DEFAULT") && !external;
      if ((rotationEnabled || !rotations.isEmpty() || nextRotationDate != null) && !rotatable) {
        throw new IllegalStateException(
            String.format(
                "rotation settings need a symmetric key with KMS-generated material (this key: %s,"
                    + " %s)",
                keySpec, origin));
      }
      if (tags.size() > 50) {
        throw new IllegalStateException(
            String.format("%d tags; a key can have at most 50", tags.size()));
      }
      for (String alias : aliases) {
        requireAlias(alias, awsManaged);
      }
      return new SeedKey(this, usage, imported);
    }

    private static String defaultUsage(String spec) {
      if (spec.equals("SYMMETRIC_DEFAULT") || spec.startsWith("RSA_")) {
        return "ENCRYPT_DECRYPT";
      }
      if (spec.startsWith("HMAC_")) {
        return "GENERATE_VERIFY_MAC";
      }
      return spec.startsWith("ML_KEM_") ? "ENCAPSULATE_DECAPSULATE" : "SIGN_VERIFY";
    }

    private static Set<String> allowedUsages(String spec) {
      if (spec.equals("SYMMETRIC_DEFAULT")) {
        return Set.of("ENCRYPT_DECRYPT");
      }
      if (spec.startsWith("HMAC_")) {
        return Set.of("GENERATE_VERIFY_MAC");
      }
      if (spec.startsWith("RSA_")) {
        return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY");
      }
      if (spec.equals("ECC_NIST_P256")
          || spec.equals("ECC_NIST_P384")
          || spec.equals("ECC_NIST_P521")) {
        return Set.of("SIGN_VERIFY", "KEY_AGREEMENT");
      }
      if (spec.equals("SM2")) {
        return Set.of("ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT");
      }
      return spec.startsWith("ML_KEM_") ? Set.of("ENCAPSULATE_DECAPSULATE") : Set.of("SIGN_VERIFY");
    }
  }
}
