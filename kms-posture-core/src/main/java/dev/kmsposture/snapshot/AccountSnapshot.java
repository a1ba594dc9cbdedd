package dev.kmsposture.snapshot;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
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
