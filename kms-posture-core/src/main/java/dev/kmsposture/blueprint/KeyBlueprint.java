package dev.kmsposture.blueprint;

import dev.kmsposture.leastprivilege.InsecureOverride;
import dev.kmsposture.leastprivilege.KeyKind;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.leastprivilege.RoleFile;
import dev.kmsposture.rules.RuleId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a customer-managed KMS key should be: its alias, description, tags, spec and usage, key
 * policy (from roles), rotation, multi-Region choice and deletion window, plus the two sentences
 * its ADR needs (what it protects, its blast radius). The provisioner turns a blueprint into the
 * exact KMS calls that create the key, after the same posture rules that judge every other key have
 * judged the blueprint ({@link #validate(BlueprintContext)}).
 *
 * <p>A blueprint is written in YAML or JSON ({@link #parse(String, String)}); the same fields exist
 * on {@link #builder()}:
 *
 * <pre>{@code
 * alias: alias/prod-payments-customer-pii
 * description: Encrypts customer PII in the payments service database
 * tags: {Owner: team-payments, Environment: prod, Purpose: customer-pii-encryption,
 *        DataClassification: restricted}
 * protects: customer names, addresses and card tokens in the payments database
 * blastRadius: the payments service's customer records in us-east-1
 * policy:
 *   account: "123456789012"
 *   administrators: ["arn:aws:iam::123456789012:role/SecurityAdmin"]
 *   serviceUsers:
 *     - {principals: ["arn:aws:iam::123456789012:role/PaymentsApp"], services: [rds],
 *        regions: [us-east-1]}
 *   auditors: ["arn:aws:iam::123456789012:role/Audit"]
 *   breakGlass: none
 * rotation: {enabled: true, periodDays: 365}
 * }</pre>
 *
 * <h2>Secure by default</h2>
 *
 * <ul>
 *   <li>The alias follows AWS's rules and the convention {@code
 *       alias/<environment>-<application>-<purpose>} ({@link AliasName}); its environment agrees
 *       with the {@code Environment} tag.
 *   <li>A description is required, as are the tags {@code Owner}, {@code Environment}, {@code
 *       Purpose} and {@code DataClassification} ({@code public}, {@code internal}, {@code
 *       confidential} or {@code restricted}).
 *   <li>The key is a symmetric encryption key unless another spec is asked for; its policy comes
 *       from roles through {@link KeyPolicyBuilder}, never the AWS default root {@code kms:*}
 *       policy unless the roles say {@code breakGlass: root} (which the rules then judge).
 *   <li>Rotation is on every 365 days where the key can rotate; asking rotation of a key that
 *       cannot rotate is an error ({@link Rotation}).
 *   <li>Multi-Region only when asked, with a reason ({@link MultiRegion}).
 *   <li>Deletion window 30 days unless set (7 to 30).
 * </ul>
 *
 * <p>Anything the posture rules flag at or above the blocking severity stops the blueprint; the
 * only way past is an {@link InsecureOverride#acknowledging(RuleId, String)} with a written reason,
 * which stays in the validation report and the key's ADR.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyBlueprint {
  /** The deletion window used when none is set. */
  public static final int DEFAULT_DELETION_WINDOW_DAYS = 30;

  /** The shortest deletion window KMS accepts. */
  public static final int MIN_DELETION_WINDOW_DAYS = 7;

  /** The longest deletion window KMS accepts. */
  public static final int MAX_DELETION_WINDOW_DAYS = 30;

  private final AliasName alias;
  private final String description;
  private final SortedMap<String, String> tags;
  private final KeyKind keyKind;
  private final Supplier<KeyPolicyBuilder> policy;
  private final @Nullable RoleFile roleFile;
  private final Rotation rotation;
  private final @Nullable MultiRegion multiRegion;
  private final int deletionWindowDays;
  private final String protects;
  private final String blastRadius;
  private final List<InsecureOverride> overrides;
  private final String source;

  private KeyBlueprint(
      Builder b, KeyKind kind, Supplier<KeyPolicyBuilder> policy, Rotation rotation) {
    this.alias = Objects.requireNonNull(b.alias);
    this.description = Objects.requireNonNull(b.description);
    this.tags = Collections.unmodifiableSortedMap(new TreeMap<>(b.tags));
    this.keyKind = kind;
    this.policy = policy;
    this.roleFile = b.roleFile;
    this.rotation = rotation;
    this.multiRegion = b.multiRegion;
    this.deletionWindowDays = b.deletionWindowDays;
    this.protects = Objects.requireNonNull(b.protects);
    this.blastRadius = Objects.requireNonNull(b.blastRadius);
    this.overrides = List.copyOf(b.overrides);
    this.source = b.source;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a blueprint document: YAML when {@code name} ends in {@code .yaml} or {@code .yml}, JSON
   * otherwise. Every field is documented in {@code docs/provision.md}.
   *
   * @param text the document
   * @param name the file name, as messages show it
   * @throws BlueprintParseException if the text is malformed, has an unknown field or a field of
   *     the wrong type, or a value is refused; the message names the field's JSON Pointer
   */
  public static KeyBlueprint parse(String text, String name) {
    return BlueprintReader.read(text, name);
  }

  /**
   * Reads a blueprint written in YAML.
   *
   * @throws BlueprintParseException as {@link #parse(String, String)}
   */
  public static KeyBlueprint fromYaml(String yaml) {
    return BlueprintReader.read(yaml, "blueprint.yaml");
  }

  /**
   * Reads a blueprint written in JSON.
   *
   * @throws BlueprintParseException as {@link #parse(String, String)}
   */
  public static KeyBlueprint fromJson(String json) {
    return BlueprintReader.read(json, "blueprint.json");
  }

  /** Returns the alias, set with {@link Builder#alias(String)}. */
  public AliasName alias() {
    return alias;
  }

  /** Returns the description, set with {@link Builder#description(String)}. */
  public String description() {
    return description;
  }

  /**
   * Returns the blueprint's tags, sorted by key: those set with {@link Builder#tags(Map)}, without
   * the tags the provisioner adds (see {@link #keyTags()}).
   */
  public SortedMap<String, String> tags() {
    return tags;
  }

  /**
   * Returns the tags the key carries: the blueprint's tags plus, for a multi-Region key, the
   * justification tag ({@code MultiRegionJustification}) holding the reason. The provisioner adds
   * its run tag on top.
   */
  public SortedMap<String, String> keyTags() {
    return keyTags(MULTI_REGION_JUSTIFICATION_TAG);
  }

  /** Returns {@link #keyTags()} with the justification under {@code justificationTag}. */
  public SortedMap<String, String> keyTags(String justificationTag) {
    TreeMap<String, String> out = new TreeMap<>(tags);
    if (multiRegion != null) {
      out.put(justificationTag, multiRegion.reason());
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /** The tag key that records why a key is multi-Region (the posture rules' default). */
  public static final String MULTI_REGION_JUSTIFICATION_TAG = "MultiRegionJustification";

  /** Returns the key's spec and usage, set with {@link Builder#keyKind(KeyKind)}. */
  public KeyKind keyKind() {
    return keyKind;
  }

  /**
   * Returns a new policy builder configured with the blueprint's roles, key kind and multi-Region
   * choice (administrators of a multi-Region key may replicate it); the provisioner adds the caller
   * (and, when configured, names it an administrator) before building.
   *
   * @throws dev.kmsposture.leastprivilege.RoleFileException if a role value is refused
   */
  public KeyPolicyBuilder policyBuilder() {
    KeyPolicyBuilder b = Objects.requireNonNull(policy.get(), "the policy supplier returned null");
    return b.keyKind(keyKind).multiRegion(multiRegion != null);
  }

  /** Returns the role file the policy comes from, when it was given as one. */
  public Optional<RoleFile> roleFile() {
    return Optional.ofNullable(roleFile);
  }

  /** Returns the rotation, set with {@link Builder#rotation(Rotation)} or defaulted. */
  public Rotation rotation() {
    return rotation;
  }

  /** Returns the multi-Region choice, when the key is multi-Region. */
  public Optional<MultiRegion> multiRegion() {
    return Optional.ofNullable(multiRegion);
  }

  /** Returns the deletion window, set with {@link Builder#deletionWindowDays(int)}. */
  public int deletionWindowDays() {
    return deletionWindowDays;
  }

  /** Returns what the key protects, set with {@link Builder#protects(String)}. */
  public String protects() {
    return protects;
  }

  /** Returns the key's blast radius, set with {@link Builder#blastRadius(String)}. */
  public String blastRadius() {
    return blastRadius;
  }

  /** Returns the rule overrides, set with {@link Builder#insecureOverride(InsecureOverride)}. */
  public List<InsecureOverride> insecureOverrides() {
    return overrides;
  }

  /** Returns where the blueprint came from: the file name, or {@code blueprint} when built. */
  public String source() {
    return source;
  }

  /**
   * Judges the blueprint with the posture rules on a snapshot of the key it would create, and
   * builds its policy for the caller.
   *
   * @param context where and by whom the key would be created, and what blocks it
   * @return the validation; {@link BlueprintValidation#passed()} says whether it may be created
   * @throws dev.kmsposture.leastprivilege.InsecurePolicyException if the roles build an insecure
   *     policy, or one that locks the caller out
   * @throws IllegalArgumentException if the policy's account is not the context's account, or a
   *     role value is refused
   */
  public BlueprintValidation validate(BlueprintContext context) {
    return DesiredState.validate(this, context);
  }

  @Override
  public String toString() {
    return "KeyBlueprint["
        + alias
        + ", "
        + keyKind
        + (multiRegion == null ? "" : ", multi-Region " + multiRegion.replicas())
        + ", rotation "
        + (rotation.enabled() ? rotation.periodDays() + " days" : "off")
        + "]";
  }

  /** Builds a {@link KeyBlueprint}. Not thread-safe. */
  public static final class Builder {
    private @Nullable AliasName alias;
    private @Nullable String description;
    private final TreeMap<String, String> tags = new TreeMap<>();
    private @Nullable KeyKind keyKind;
    private @Nullable Supplier<KeyPolicyBuilder> policy;
    private @Nullable RoleFile roleFile;
    private @Nullable Rotation rotation;
    private @Nullable MultiRegion multiRegion;
    private int deletionWindowDays = DEFAULT_DELETION_WINDOW_DAYS;
    private @Nullable String protects;
    private @Nullable String blastRadius;
    private final List<InsecureOverride> overrides = new ArrayList<>();
    private String source = "blueprint";

    private Builder() {}

    /**
     * Sets the alias. Required.
     *
     * @throws IllegalArgumentException if it breaks AWS's alias rules or the naming convention
     *     ({@link AliasName})
     */
    public Builder alias(String alias) {
      this.alias = AliasName.of(Objects.requireNonNull(alias, "alias"));
      return this;
    }

    /**
     * Sets the description: what the key encrypts, in words. Required; 1 to 8192 characters
     * (CreateKey). It appears in CloudTrail: never put a secret in it.
     *
     * @throws IllegalArgumentException if blank or longer than 8192 characters
     */
    public Builder description(String description) {
      Objects.requireNonNull(description, "description");
      if (description.isBlank()) {
        throw new IllegalArgumentException(
            "description is blank; say what the key encrypts, such as \"Encrypts customer PII in"
                + " the payments service database\"");
      }
      if (description.length() > 8192) {
        throw new IllegalArgumentException(
            String.format(
                "description is %d characters long; KMS accepts at most 8192",
                description.length()));
      }
      this.description = description;
      return this;
    }

    /**
     * Replaces the tags. Required: {@code Owner}, {@code Environment}, {@code Purpose} and {@code
     * DataClassification}; others may be added, up to 46 in all (KMS allows 50 per key; the
     * provisioner reserves four). Keys follow AWS's tag rules and may not start with {@code aws:}
     * or {@code kms-posture:}; values are at most 256 characters.
     *
     * @throws IllegalArgumentException if a key or value breaks AWS's tag rules
     */
    public Builder tags(Map<String, String> tags) {
      Objects.requireNonNull(tags, "tags");
      this.tags.clear();
      tags.forEach(this::putTag);
      return this;
    }

    /**
     * Puts one tag; see {@link #tags(Map)}.
     *
     * @throws IllegalArgumentException if the key or value breaks AWS's tag rules
     */
    public Builder putTag(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Tags.checkKey(key);
      Tags.checkValue("tag [" + key + "]", value);
      this.tags.put(key, value);
      return this;
    }

    /**
     * Sets the key spec and usage; {@code SYMMETRIC_DEFAULT}/{@code ENCRYPT_DECRYPT} by default.
     */
    public Builder keyKind(KeyKind keyKind) {
      this.keyKind = Objects.requireNonNull(keyKind, "keyKind");
      return this;
    }

    /**
     * Sets the key policy's roles from a role file (the format of {@code kms-posture policy
     * --roles}; docs/role-file.md). Required, unless {@link #policy(Supplier)} is used.
     */
    public Builder policy(RoleFile roles) {
      this.roleFile = Objects.requireNonNull(roles, "roles");
      this.policy = roles::toBuilder;
      return this;
    }

    /**
     * Sets the key policy's roles as a supplier of configured builders; each call must return a new
     * builder, since the provisioner adds the caller to it. Required, unless {@link
     * #policy(RoleFile)} is used.
     *
     * <pre>{@code
     * .policy(() -> KeyPolicyBuilder.forAccount(account)
     *     .administrators(securityAdmin)
     *     .addServiceUsers(List.of(app), List.of(AwsService.RDS), List.of("us-east-1"))
     *     .auditors(audit))
     * }</pre>
     */
    public Builder policy(Supplier<KeyPolicyBuilder> policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      this.roleFile = null;
      return this;
    }

    /**
     * Sets the automatic rotation; by default on every 365 days where the key can rotate, off
     * otherwise. Asking rotation of a key that cannot rotate makes {@link #build()} fail.
     */
    public Builder rotation(Rotation rotation) {
      this.rotation = Objects.requireNonNull(rotation, "rotation");
      return this;
    }

    /** Makes the key multi-Region with replicas, for a written reason; single-Region by default. */
    public Builder multiRegion(MultiRegion multiRegion) {
      this.multiRegion = Objects.requireNonNull(multiRegion, "multiRegion");
      return this;
    }

    /**
     * Sets the waiting period used when the key is retired: 7 to 30 days, 30 by default.
     *
     * @throws IllegalArgumentException if outside 7 to 30
     */
    public Builder deletionWindowDays(int days) {
      if (days < MIN_DELETION_WINDOW_DAYS || days > MAX_DELETION_WINDOW_DAYS) {
        throw new IllegalArgumentException(
            String.format(
                "deletion window [%d] days is out of range; KMS accepts 7 to 30 days (default 30)",
                days));
      }
      this.deletionWindowDays = days;
      return this;
    }

    /**
     * Sets what data the key protects, in one sentence. Required: it opens the key's ADR.
     *
     * @throws IllegalArgumentException if blank or more than one sentence
     */
    public Builder protects(String protects) {
      this.protects = sentence("protects", protects);
      return this;
    }

    /**
     * Sets the key's blast radius — what is exposed or lost if the key is misused or deleted — in
     * one sentence. Required: "if you cannot describe the blast radius in one sentence, the
     * granularity is wrong" (KMS checklist).
     *
     * @throws IllegalArgumentException if blank or more than one sentence
     */
    public Builder blastRadius(String blastRadius) {
      this.blastRadius = sentence("blastRadius", blastRadius);
      return this;
    }

    /**
     * Adds an override that lets a posture rule's failure through validation, with its written
     * reason; it is recorded in the validation report and the key's ADR.
     *
     * @throws IllegalArgumentException if the override is for a builder finding (those belong on
     *     the policy builder)
     */
    public Builder insecureOverride(InsecureOverride override) {
      Objects.requireNonNull(override, "override");
      if (override.rule().isEmpty()) {
        throw new IllegalArgumentException(
            String.format(
                "override of builder finding [%s] belongs on the policy builder; a blueprint takes"
                    + " InsecureOverride.acknowledging(RuleId, reason)",
                override.subject()));
      }
      overrides.add(override);
      return this;
    }

    /** Sets where the blueprint came from, as messages name it (a file name). */
    public Builder source(String source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Builds the blueprint.
     *
     * @throws IllegalArgumentException if a required field is missing, a required tag is missing or
     *     has a value outside its vocabulary, the alias's environment differs from the {@code
     *     Environment} tag, rotation is asked of a key that cannot rotate, or the key kind given
     *     here differs from the role file's
     */
    public KeyBlueprint build() {
      AliasName a =
          require(alias, "alias", "set the alias, such as alias/prod-payments-customer-pii");
      require(description, "description", "say what the key encrypts");
      require(protects, "protects", "say in one sentence what data the key protects");
      require(
          blastRadius, "blastRadius", "say in one sentence what its misuse or loss would expose");
      Supplier<KeyPolicyBuilder> p =
          require(policy, "policy", "give the key policy's roles (docs/role-file.md)");
      checkTags(a);
      KeyKind kind = resolveKind(p);
      Rotation r = rotation == null ? Rotation.defaultFor(kind) : rotation;
      if (r.enabled() && !Rotation.canRotate(kind)) {
        throw new FieldProblem(
            "/rotation/enabled",
            String.format(
                "key spec [%s] cannot rotate automatically; AWS rotates only symmetric encryption"
                    + " keys with KMS-generated material, so turn rotation off (and plan manual"
                    + " rotation in the ADR) or choose SYMMETRIC_DEFAULT",
                kind.keySpec()));
      }
      return new KeyBlueprint(this, kind, p, r);
    }

    private KeyKind resolveKind(Supplier<KeyPolicyBuilder> p) {
      KeyKind fromRoles = null;
      if (roleFile != null && roleFile.text("keySpec").isPresent()) {
        fromRoles = roleFile.toBuilder().configuredKeyKind();
      } else if (roleFile == null) {
        KeyKind configured =
            Objects.requireNonNull(p.get(), "the policy supplier returned null")
                .configuredKeyKind();
        if (!configured.equals(KeyKind.SYMMETRIC_DEFAULT)) {
          fromRoles = configured;
        }
      }
      if (keyKind != null && fromRoles != null && !keyKind.equals(fromRoles)) {
        throw new FieldProblem(
            "/policy/keySpec",
            String.format(
                "the policy's key kind [%s] differs from the blueprint's [%s]; give the key spec"
                    + " once, in the blueprint",
                fromRoles, keyKind));
      }
      if (keyKind != null) {
        return keyKind;
      }
      return fromRoles != null ? fromRoles : KeyKind.SYMMETRIC_DEFAULT;
    }

    private void checkTags(AliasName a) {
      List<String> missing = new ArrayList<>();
      for (String t : Tags.REQUIRED) {
        String v = tags.get(t);
        if (v == null || v.isBlank()) {
          missing.add(t);
        }
      }
      if (!missing.isEmpty()) {
        throw new FieldProblem(
            "/tags",
            String.format(
                "required tags %s are missing or empty; every key carries Owner, Environment,"
                    + " Purpose and DataClassification",
                missing));
      }
      if (tags.size() > Tags.MAX_TAGS) {
        throw new FieldProblem(
            "/tags",
            String.format(
                "%d tags are too many; at most %d (KMS allows 50 per key and the provisioner"
                    + " reserves four)",
                tags.size(), Tags.MAX_TAGS));
      }
      String classification = tags.get("DataClassification");
      if (!Tags.CLASSIFICATIONS.contains(classification)) {
        throw new FieldProblem(
            "/tags/DataClassification",
            String.format(
                "DataClassification [%s] is not one of %s",
                classification, String.join(", ", Tags.CLASSIFICATIONS)));
      }
      String environment = tags.get("Environment");
      if (environment == null
          || !AliasName.ENVIRONMENTS.contains(environment.toLowerCase(Locale.ROOT))) {
        throw new FieldProblem(
            "/tags/Environment",
            String.format(
                "Environment [%s] is not one of %s",
                environment, String.join(", ", AliasName.ENVIRONMENTS)));
      }
      if (!a.sameEnvironmentAs(environment)) {
        throw new FieldProblem(
            "/tags/Environment",
            String.format(
                "Environment [%s] differs from the alias's environment [%s] (%s); a key's name and"
                    + " tags must agree",
                environment, a.environment(), a));
      }
    }

    private static <T> T require(@Nullable T value, String field, String what) {
      if (value == null) {
        throw new FieldProblem(
            "/" + field, String.format("blueprint has no [%s]; %s", field, what));
      }
      return value;
    }

    private static String sentence(String field, String text) {
      Objects.requireNonNull(text, field);
      String t = text.strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException(String.format("%s is blank; write one sentence", field));
      }
      if (t.length() > 300 || t.contains("\n") || t.matches(".*[.!?]\\s+\\S.*")) {
        throw new IllegalArgumentException(
            String.format(
                "%s must be one sentence of at most 300 characters; if it cannot be said in one,"
                    + " the key protects too much",
                field));
      }
      return t;
    }
  }

  /** A refusal of {@link Builder#build()} that knows which field of a document is at fault. */
  static final class FieldProblem extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String pointer;

    FieldProblem(String pointer, String message) {
      super(message);
      this.pointer = pointer;
    }

    String pointer() {
      return pointer;
    }
  }
}
