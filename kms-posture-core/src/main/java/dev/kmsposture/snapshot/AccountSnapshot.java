package dev.kmsposture.snapshot;

import static dev.kmsposture.internal.text.BuilderChecks.missing;
import static dev.kmsposture.internal.text.BuilderChecks.notBlank;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about the KMS keys of one account at one moment: what the rules judge. A
 * snapshot comes from a live account (the scanner), from a saved JSON file ({@link
 * #parse(String)}), from an infrastructure template, or from a key the provisioner is about to
 * create.
 *
 * <p>The JSON form is versioned ({@link #schemaVersion()}, currently {@value #SCHEMA_VERSION}) and
 * documented in {@code docs/snapshot-schema.md}, so a snapshot saved today can be checked tomorrow.
 *
 * @param schemaVersion the JSON schema version
 * @param account the account id
 * @param partition {@code aws}, {@code aws-cn}, {@code aws-us-gov}, …
 * @param regions the Regions that were collected
 * @param capturedAt when the snapshot was taken: the rules' "now"
 * @param keys the keys, in a stable order
 * @param aliases the aliases of the account (including {@code aws/} aliases)
 * @param trails the CloudTrail trails, or null when they were not collected
 * @param collectionErrors failures not tied to one key part
 * @param durationMillis how long collection took, or null
 * @param inventory which resources of the KMS-integrated services each key protects, or null when
 *     it was not collected (since schema version 3)
 */
// The inventory is written before the keys, so that a streaming reader knows it before the first
// key
// (SnapshotReader); versions 1 and 2 have no inventory, so their bytes do not change.
@JsonPropertyOrder({
  "schemaVersion",
  "account",
  "partition",
  "regions",
  "capturedAt",
  "inventory",
  "keys",
  "aliases",
  "trails",
  "collectionErrors",
  "durationMillis"
})
public record AccountSnapshot(
    int schemaVersion,
    String account,
    String partition,
    List<String> regions,
    Instant capturedAt,
    List<KeySnapshot> keys,
    List<AliasEntry> aliases,
    @Nullable List<TrailSnapshot> trails,
    List<CollectionError> collectionErrors,
    @Nullable Long durationMillis,
    @Nullable ResourceInventory inventory) {

  /**
   * The schema version this library writes. It reads every version from {@link
   * #OLDEST_SCHEMA_VERSION} to this one.
   */
  public static final int SCHEMA_VERSION = 3;

  /** The oldest schema version this library reads. */
  public static final int OLDEST_SCHEMA_VERSION = 1;

  /** Copies the collections and checks the identity. */
  public AccountSnapshot {
    if (schemaVersion < OLDEST_SCHEMA_VERSION || schemaVersion > SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          String.format(
              "snapshot schemaVersion [%d] is not supported; this version of kms-posture reads %d"
                  + " to %d",
              schemaVersion, OLDEST_SCHEMA_VERSION, SCHEMA_VERSION));
    }
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(capturedAt, "capturedAt");
    regions = regions == null ? List.of() : List.copyOf(regions);
    keys = keys == null ? List.of() : List.copyOf(keys);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    trails = trails == null ? null : List.copyOf(trails);
    collectionErrors = collectionErrors == null ? List.of() : List.copyOf(collectionErrors);
    if (schemaVersion < 2) {
      requireVersion1(keys);
    }
    if (schemaVersion < 3 && inventory != null) {
      throw new IllegalArgumentException(
          String.format(
              "[inventory] needs snapshot schemaVersion 3; this snapshot says schemaVersion %d",
              schemaVersion));
    }
  }

  /**
   * Creates a snapshot without an inventory: the components of schema versions 1 and 2.
   *
   * @throws IllegalArgumentException as the canonical constructor does
   */
  public AccountSnapshot(
      int schemaVersion,
      String account,
      String partition,
      List<String> regions,
      Instant capturedAt,
      List<KeySnapshot> keys,
      List<AliasEntry> aliases,
      @Nullable List<TrailSnapshot> trails,
      List<CollectionError> collectionErrors,
      @Nullable Long durationMillis) {
    this(
        schemaVersion,
        account,
        partition,
        regions,
        capturedAt,
        keys,
        aliases,
        trails,
        collectionErrors,
        durationMillis,
        null);
  }

  /** Returns this snapshot with {@code inventory} (null: not collected). */
  public AccountSnapshot withInventory(@Nullable ResourceInventory inventory) {
    return new AccountSnapshot(
        inventory == null ? schemaVersion : Math.max(schemaVersion, 3),
        account,
        partition,
        regions,
        capturedAt,
        keys,
        aliases,
        trails,
        collectionErrors,
        durationMillis,
        inventory);
  }

  /**
   * Returns the resources whose configuration names the key {@code keyArn}; empty when the
   * inventory was not collected ({@link #inventory()} tells the two apart).
   */
  public List<ResourceSnapshot> resourcesUsing(String keyArn) {
    return inventory == null ? List.of() : inventory.resourcesUsing(keyArn);
  }

  // Version 1 had neither the callers part nor the METADATA and CALLERS part names: a document
  // that says version 1 and uses them is not a version-1 document.
  static void requireVersion1(List<KeySnapshot> keys) {
    for (KeySnapshot key : keys) {
      if (key.callers() != null) {
        throw new IllegalArgumentException(
            String.format(
                "key [%s] has [callers], which needs snapshot schemaVersion 2; this snapshot says"
                    + " schemaVersion 1",
                key.arn()));
      }
      for (KeyPart part : List.of(KeyPart.METADATA, KeyPart.CALLERS)) {
        if (key.unreadable().containsKey(part)) {
          throw new IllegalArgumentException(
              String.format(
                  "key [%s] has unreadable part [%s], which needs snapshot schemaVersion 2; this"
                      + " snapshot says schemaVersion 1",
                  key.arn(), part));
        }
      }
    }
  }

  /**
   * Returns a snapshot of {@code account} taken at {@code capturedAt} holding {@code keys}, with
   * regions derived from the keys and nothing else collected.
   */
  public static AccountSnapshot of(String account, Instant capturedAt, List<KeySnapshot> keys) {
    List<String> regions = keys.stream().map(KeySnapshot::region).distinct().sorted().toList();
    String partition = keys.isEmpty() ? "aws" : keys.get(0).partition();
    return new AccountSnapshot(
        SCHEMA_VERSION,
        account,
        partition,
        regions,
        capturedAt,
        keys,
        List.of(),
        null,
        List.of(),
        null);
  }

  /**
   * Returns an empty builder; {@link Builder#account} and {@link Builder#capturedAt} are required.
   * The schema version starts at {@value #SCHEMA_VERSION}, the partition at {@code aws}, the lists
   * empty, and the trails, duration and inventory not collected.
   *
   * <pre>{@code
   * AccountSnapshot s = AccountSnapshot.builder()
   *     .account("111122223333").capturedAt(now).regions(List.of("us-east-1"))
   *     .keys(keys).trails(List.of())
   *     .build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this snapshot. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds an {@link AccountSnapshot}. Setters reject an unsupported schema version, blank text and
   * a negative duration at once; {@link #build()} fails, naming the setter, when the account or the
   * capture time is missing, and as the canonical constructor does when a part needs a newer schema
   * version. Not thread-safe; the snapshots it builds are immutable.
   */
  public static final class Builder {
    private int schemaVersion = SCHEMA_VERSION;
    private @Nullable String account;
    private String partition = "aws";
    private final List<String> regions = new ArrayList<>();
    private @Nullable Instant capturedAt;
    private final List<KeySnapshot> keys = new ArrayList<>();
    private final List<AliasEntry> aliases = new ArrayList<>();
    private @Nullable List<TrailSnapshot> trails;
    private final List<CollectionError> collectionErrors = new ArrayList<>();
    private @Nullable Long durationMillis;
    private @Nullable ResourceInventory inventory;

    private Builder() {}

    private Builder(AccountSnapshot s) {
      this.schemaVersion = s.schemaVersion;
      this.account = s.account;
      this.partition = s.partition;
      this.regions.addAll(s.regions);
      this.capturedAt = s.capturedAt;
      this.keys.addAll(s.keys);
      this.aliases.addAll(s.aliases);
      this.trails = s.trails == null ? null : new ArrayList<>(s.trails);
      this.collectionErrors.addAll(s.collectionErrors);
      this.durationMillis = s.durationMillis;
      this.inventory = s.inventory;
    }

    /**
     * Sets the JSON schema version ({@value AccountSnapshot#SCHEMA_VERSION}, the newest, by
     * default).
     *
     * @throws IllegalArgumentException if this library does not read that version
     */
    public Builder schemaVersion(int schemaVersion) {
      if (schemaVersion < OLDEST_SCHEMA_VERSION || schemaVersion > SCHEMA_VERSION) {
        throw new IllegalArgumentException(
            String.format(
                "snapshot schemaVersion [%d] is not supported; this version of kms-posture reads"
                    + " %d to %d",
                schemaVersion, OLDEST_SCHEMA_VERSION, SCHEMA_VERSION));
      }
      this.schemaVersion = schemaVersion;
      return this;
    }

    /**
     * Sets the account id, such as {@code 111122223333}.
     *
     * @throws IllegalArgumentException if the id is blank
     */
    public Builder account(String account) {
      this.account =
          notBlank(account, "account", "snapshot account id", "a 12-digit AWS account id");
      return this;
    }

    /**
     * Sets the partition: {@code aws} (the default), {@code aws-cn}, {@code aws-us-gov}, ….
     *
     * @throws IllegalArgumentException if the partition is blank
     */
    public Builder partition(String partition) {
      this.partition =
          notBlank(
              partition, "partition", "snapshot partition", "a partition such as aws or aws-cn");
      return this;
    }

    /**
     * Replaces the Regions that were collected (none by default).
     *
     * @throws IllegalArgumentException if a Region is blank
     */
    public Builder regions(Collection<String> regions) {
      Objects.requireNonNull(regions, "regions");
      this.regions.clear();
      regions.forEach(this::addRegion);
      return this;
    }

    /**
     * Appends one collected Region, such as {@code us-east-1}.
     *
     * @throws IllegalArgumentException if the Region is blank
     */
    public Builder addRegion(String region) {
      regions.add(notBlank(region, "region", "snapshot region", "a Region such as us-east-1"));
      return this;
    }

    /** Sets when the snapshot was taken: the rules' "now". */
    public Builder capturedAt(Instant capturedAt) {
      this.capturedAt = Objects.requireNonNull(capturedAt, "capturedAt");
      return this;
    }

    /** Replaces the keys (none by default), in the order the snapshot keeps them. */
    public Builder keys(Collection<KeySnapshot> keys) {
      Objects.requireNonNull(keys, "keys");
      this.keys.clear();
      keys.forEach(this::addKey);
      return this;
    }

    /** Appends one key. */
    public Builder addKey(KeySnapshot key) {
      keys.add(Objects.requireNonNull(key, "key"));
      return this;
    }

    /** Replaces the account's aliases, including {@code aws/} aliases (none by default). */
    public Builder aliases(Collection<AliasEntry> aliases) {
      Objects.requireNonNull(aliases, "aliases");
      this.aliases.clear();
      aliases.forEach(this::addAlias);
      return this;
    }

    /** Appends one alias. */
    public Builder addAlias(AliasEntry alias) {
      aliases.add(Objects.requireNonNull(alias, "alias"));
      return this;
    }

    /**
     * Replaces the CloudTrail trails; null (the default) when they were not collected, empty when
     * the account has none.
     */
    public Builder trails(@Nullable Collection<TrailSnapshot> trails) {
      this.trails = trails == null ? null : new ArrayList<>(trails);
      return this;
    }

    /** Appends one CloudTrail trail, marking the trails as collected. */
    public Builder addTrail(TrailSnapshot trail) {
      Objects.requireNonNull(trail, "trail");
      if (trails == null) {
        trails = new ArrayList<>();
      }
      trails.add(trail);
      return this;
    }

    /** Replaces the failures not tied to one key part (none by default). */
    public Builder collectionErrors(Collection<CollectionError> errors) {
      Objects.requireNonNull(errors, "collectionErrors");
      this.collectionErrors.clear();
      errors.forEach(this::addCollectionError);
      return this;
    }

    /** Appends one failure not tied to one key part. */
    public Builder addCollectionError(CollectionError error) {
      collectionErrors.add(Objects.requireNonNull(error, "collectionError"));
      return this;
    }

    /**
     * Sets how long collection took, in milliseconds; null (the default) when unknown.
     *
     * @throws IllegalArgumentException if the duration is negative
     */
    public Builder durationMillis(@Nullable Long durationMillis) {
      if (durationMillis != null && durationMillis < 0) {
        throw new IllegalArgumentException(
            String.format(
                "snapshot durationMillis [%d] is negative; expected milliseconds >= 0",
                durationMillis));
      }
      this.durationMillis = durationMillis;
      return this;
    }

    /**
     * Sets which resources each key protects; null (the default) when the inventory was not
     * collected. Needs schema version 3.
     */
    public Builder inventory(@Nullable ResourceInventory inventory) {
      this.inventory = inventory;
      return this;
    }

    /**
     * Returns the snapshot.
     *
     * @throws IllegalStateException if the account or the capture time is not set
     * @throws IllegalArgumentException if a part needs a newer schema version than the one set
     */
    public AccountSnapshot build() {
      if (account == null) {
        throw missing("snapshot", "account", "account(...)");
      }
      if (capturedAt == null) {
        throw missing("snapshot", "capture time", "capturedAt(...)");
      }
      return new AccountSnapshot(
          schemaVersion,
          account,
          partition,
          regions,
          capturedAt,
          keys,
          aliases,
          trails,
          collectionErrors,
          durationMillis,
          inventory);
    }
  }

  /**
   * Reads a snapshot from its JSON form.
   *
   * @throws SnapshotParseException if the JSON is malformed or does not follow the schema; the
   *     message gives the JSON Pointer of the offending field
   */
  public static AccountSnapshot parse(String json) {
    Objects.requireNonNull(json, "json");
    return SnapshotCodec.read(json);
  }

  /** Returns the JSON form: pretty-printed, deterministic (same snapshot, same bytes). */
  public String toJson() {
    return SnapshotCodec.write(this);
  }

  /** Returns the key with ARN {@code arn}, or the key whose id is {@code arn}. */
  public java.util.Optional<KeySnapshot> key(String arnOrId) {
    for (KeySnapshot k : keys) {
      if (k.arn().equals(arnOrId) || k.keyId().equals(arnOrId)) {
        return java.util.Optional.of(k);
      }
    }
    return java.util.Optional.empty();
  }
}
