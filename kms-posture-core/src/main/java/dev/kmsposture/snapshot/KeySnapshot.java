package dev.kmsposture.snapshot;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about one KMS key at one moment. Parts read by separate API calls are nullable:
 * a null part was not collected or could not be read, and {@link #unreadable()} says why when it
 * could not be read. Rules treat a missing part as "cannot tell" ({@code UNKNOWN}), never as a
 * pass.
 *
 * @param arn the key ARN
 * @param keyId the key id (a UUID, or {@code mrk-} and 32 hex digits for a multi-Region key)
 * @param region the key's Region
 * @param metadata what DescribeKey says
 * @param aliases the alias names pointing at the key ({@code alias/prod-customer-pii}), or null
 * @param tags the tags, sorted by key, or null
 * @param policy the key policy text as KMS returned it, or null
 * @param rotation the automatic rotation status, or null
 * @param rotations the rotation history, or null
 * @param grants the grants, or null
 * @param lastUsage the last usage, or null
 * @param keyEvents CloudTrail events about the key, oldest first, or null
 * @param resources ARNs of resources known to use the key (for AWS-managed keys), or null
 * @param callers who used the key, from CloudTrail, or null (since schema version 2)
 * @param unreadable why a part could not be read, by part
 */
public record KeySnapshot(
    String arn,
    String keyId,
    String region,
    KeyMetadata metadata,
    @Nullable List<String> aliases,
    @Nullable Map<String, String> tags,
    @Nullable String policy,
    @Nullable RotationStatus rotation,
    @Nullable List<KeyRotation> rotations,
    @Nullable List<KeyGrant> grants,
    @Nullable KeyLastUsage lastUsage,
    @Nullable List<KeyEvent> keyEvents,
    @Nullable List<String> resources,
    @Nullable List<KeyCaller> callers,
    Map<KeyPart, String> unreadable) {

  /** Copies the collections and checks the identity. */
  public KeySnapshot {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(metadata, "metadata");
    if (!arn.startsWith("arn:") || !arn.contains(":key/")) {
      throw new IllegalArgumentException(
          String.format(
              "key ARN [%s] is not valid; expected arn:PARTITION:kms:REGION:ACCOUNT:key/ID", arn));
    }
    aliases = aliases == null ? null : List.copyOf(aliases);
    tags = tags == null ? null : Collections.unmodifiableMap(new TreeMap<>(tags));
    rotations = rotations == null ? null : List.copyOf(rotations);
    grants = grants == null ? null : List.copyOf(grants);
    keyEvents = keyEvents == null ? null : List.copyOf(keyEvents);
    resources = resources == null ? null : List.copyOf(resources);
    callers = callers == null ? null : List.copyOf(callers);
    if (unreadable == null || unreadable.isEmpty()) {
      // most keys: one shared empty map, not a new one per key
      unreadable = NONE_UNREADABLE;
    } else {
      unreadable = Collections.unmodifiableMap(new EnumMap<>(unreadable));
    }
  }

  // What a key with every part read has as its unreadable parts.
  private static final Map<KeyPart, String> NONE_UNREADABLE =
      Collections.unmodifiableMap(new EnumMap<>(KeyPart.class));

  /** Returns a builder for a key with the given identity and metadata. */
  public static Builder builder(String arn, KeyMetadata metadata) {
    return new Builder(arn, metadata);
  }

  /**
   * Returns the key's JSON form on one line, as an element of a snapshot's {@code keys} holds it
   * (docs/snapshot-schema.md); deterministic. {@link #parse} reads it back as an equal key.
   */
  public String toJson() {
    return SnapshotCodec.writeKey(this);
  }

  /**
   * Reads one key from its JSON form ({@link #toJson}), with the checks of the key itself; how the
   * key fits a snapshot (its account, keys listed twice) is checked by {@link SnapshotReader}.
   *
   * @throws SnapshotParseException if the JSON is malformed or does not follow the schema; the
   *     message gives the JSON Pointer of the offending field, from the key
   */
  public static KeySnapshot parse(String json) {
    Objects.requireNonNull(json, "json");
    return SnapshotCodec.readKey(json);
  }

  /** Returns a builder that starts from this snapshot. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns the account id in the key ARN. */
  public String account() {
    return arnPart(4, "");
  }

  /** Returns the partition in the key ARN ({@code aws}, {@code aws-cn}, …). */
  public String partition() {
    return arnPart(1, "aws");
  }

  // Part `index` of the ARN's six colon-separated parts (the last part may hold colons), without
  // splitting the whole ARN: rules ask for the account of every key many times.
  private String arnPart(int index, String otherwise) {
    int start = 0;
    for (int i = 0; i < index; i++) {
      int colon = arn.indexOf(':', start);
      if (colon < 0) {
        return otherwise;
      }
      start = colon + 1;
    }
    int end = arn.indexOf(':', start);
    if (end < 0) {
      return otherwise;
    }
    if (index < 5) {
      // the ARN needs all six parts, as with split(":", 6)
      int probe = end + 1;
      for (int i = index + 1; i < 5; i++) {
        int colon = arn.indexOf(':', probe);
        if (colon < 0) {
          return otherwise;
        }
        probe = colon + 1;
      }
    }
    return arn.substring(start, end);
  }

  /** Returns the first alias in sorted order, without the {@code alias/} prefix. */
  public Optional<String> primaryAliasName() {
    if (aliases == null || aliases.isEmpty()) {
      return Optional.empty();
    }
    String first = aliases.get(0);
    for (int i = 1; i < aliases.size(); i++) {
      if (aliases.get(i).compareTo(first) < 0) {
        first = aliases.get(i);
      }
    }
    return Optional.of(first.startsWith("alias/") ? first.substring(6) : first);
  }

  /**
   * Returns how findings name this key: its alias (without {@code alias/}) when it has one,
   * otherwise its ARN.
   */
  // the cache holds the name of this exact instance.
  @SuppressWarnings("ReferenceEquality")
  public String displayName() {
    // Every finding about a key names it, so the engine asks for one key's name about thirty times
    // in a row: the last answer is kept (a pure function of this immutable record).
    NameCache last = lastName;
    if (last != null && last.key() == this) {
      return last.name();
    }
    String name = primaryAliasName().orElse(arn);
    lastName = new NameCache(this, name);
    return name;
  }

  private static volatile @Nullable NameCache lastName;

  // Compared by identity in displayName(), never with equals.
  private record NameCache(KeySnapshot key, String name) {}

  /** Returns why {@code part} could not be read, if it could not. */
  public Optional<String> unreadableReason(KeyPart part) {
    return Optional.ofNullable(unreadable.get(part));
  }

  /** Builds a {@link KeySnapshot}. Not thread-safe. */
  public static final class Builder {
    private final String arn;
    private String keyId;
    private String region;
    private KeyMetadata metadata;
    private @Nullable List<String> aliases;
    private @Nullable Map<String, String> tags;
    private @Nullable String policy;
    private @Nullable RotationStatus rotation;
    private @Nullable List<KeyRotation> rotations;
    private @Nullable List<KeyGrant> grants;
    private @Nullable KeyLastUsage lastUsage;
    private @Nullable List<KeyEvent> keyEvents;
    private @Nullable List<String> resources;
    private @Nullable List<KeyCaller> callers;
    private final Map<KeyPart, String> unreadable = new EnumMap<>(KeyPart.class);

    private Builder(String arn, KeyMetadata metadata) {
      this.arn = Objects.requireNonNull(arn, "arn");
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      String[] parts = arn.split(":", 6);
      this.region = parts.length == 6 ? parts[3] : "";
      this.keyId =
          parts.length == 6 && parts[5].startsWith("key/")
              ? parts[5].substring(4)
              : parts[parts.length - 1];
    }

    private Builder(KeySnapshot k) {
      this.arn = k.arn;
      this.keyId = k.keyId;
      this.region = k.region;
      this.metadata = k.metadata;
      this.aliases = k.aliases;
      this.tags = k.tags;
      this.policy = k.policy;
      this.rotation = k.rotation;
      this.rotations = k.rotations;
      this.grants = k.grants;
      this.lastUsage = k.lastUsage;
      this.keyEvents = k.keyEvents;
      this.resources = k.resources;
      this.callers = k.callers;
      this.unreadable.putAll(k.unreadable);
    }

    /** Sets the key id (derived from the ARN by default). */
    public Builder keyId(String keyId) {
      this.keyId = Objects.requireNonNull(keyId, "keyId");
      return this;
    }

    /** Sets the Region (derived from the ARN by default). */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** Sets the metadata. */
    public Builder metadata(KeyMetadata metadata) {
      this.metadata = Objects.requireNonNull(metadata, "metadata");
      return this;
    }

    /** Sets the alias names. */
    public Builder aliases(@Nullable List<String> aliases) {
      this.aliases = aliases;
      return this;
    }

    /** Sets the tags. */
    public Builder tags(@Nullable Map<String, String> tags) {
      this.tags = tags;
      return this;
    }

    /** Sets the key policy text. */
    public Builder policy(@Nullable String policy) {
      this.policy = policy;
      return this;
    }

    /** Sets the rotation status. */
    public Builder rotation(@Nullable RotationStatus rotation) {
      this.rotation = rotation;
      return this;
    }

    /** Sets the rotation history. */
    public Builder rotations(@Nullable List<KeyRotation> rotations) {
      this.rotations = rotations;
      return this;
    }

    /** Sets the grants. */
    public Builder grants(@Nullable List<KeyGrant> grants) {
      this.grants = grants;
      return this;
    }

    /** Sets the last usage. */
    public Builder lastUsage(@Nullable KeyLastUsage lastUsage) {
      this.lastUsage = lastUsage;
      return this;
    }

    /** Sets the CloudTrail key events. */
    public Builder keyEvents(@Nullable List<KeyEvent> keyEvents) {
      this.keyEvents = keyEvents;
      return this;
    }

    /** Sets the resources known to use the key. */
    public Builder resources(@Nullable List<String> resources) {
      this.resources = resources;
      return this;
    }

    /** Sets who used the key, from CloudTrail. */
    public Builder callers(@Nullable List<KeyCaller> callers) {
      this.callers = callers;
      return this;
    }

    /** Records that {@code part} could not be read, and why. */
    public Builder unreadable(KeyPart part, String reason) {
      unreadable.put(
          Objects.requireNonNull(part, "part"), Objects.requireNonNull(reason, "reason"));
      return this;
    }

    /** Builds the snapshot. */
    public KeySnapshot build() {
      return new KeySnapshot(
          arn,
          keyId,
          region,
          metadata,
          aliases,
          tags,
          policy,
          rotation,
          rotations,
          grants,
          lastUsage,
          keyEvents,
          resources,
          callers,
          unreadable);
    }
  }
}
