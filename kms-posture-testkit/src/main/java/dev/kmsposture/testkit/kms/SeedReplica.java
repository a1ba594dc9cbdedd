package dev.kmsposture.testkit.kms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A replica that a seeded multi-Region key already has in another Region. It shares the primary's
 * key id, material, spec, usage, origin and rotation, and has its own description, policy, tags,
 * aliases, key state and last usage.
 *
 * <p>Immutable; the builder is not thread-safe.
 */
public final class SeedReplica {
  private final String region;
  private final String description;
  private final @Nullable String policy;
  private final Map<String, String> tags;
  private final List<String> aliases;
  private final String state;
  private final @Nullable Instant deletionDate;
  private final @Nullable Instant creationDate;
  private final @Nullable String lastUsedOperation;
  private final @Nullable Instant lastUsedAt;

  private SeedReplica(Builder b) {
    this.region = Objects.requireNonNull(b.region);
    this.description = b.description;
    this.policy = b.policy;
    this.tags = Collections.unmodifiableMap(new TreeMap<>(b.tags));
    this.aliases = List.copyOf(b.aliases);
    this.state = b.state;
    this.deletionDate = b.deletionDate;
    this.creationDate = b.creationDate;
    this.lastUsedOperation = b.lastUsedOperation;
    this.lastUsedAt = b.lastUsedAt;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The replica's Region. */
  public String region() {
    return region;
  }

  /** The replica's description; empty by default. */
  public String description() {
    return description;
  }

  /** The replica's key policy; the default key policy when empty. */
  public Optional<String> policy() {
    return Optional.ofNullable(policy);
  }

  /** The replica's tags. */
  public Map<String, String> tags() {
    return tags;
  }

  /** The replica's aliases (in its Region). */
  public List<String> aliases() {
    return aliases;
  }

  /** The replica's key state: Enabled, Disabled, PendingDeletion or PendingImport. */
  public String state() {
    return state;
  }

  /** When a replica pending deletion is deleted. */
  public Optional<Instant> deletionDate() {
    return Optional.ofNullable(deletionDate);
  }

  /** When the replica was created; the primary's creation date by default. */
  public Optional<Instant> creationDate() {
    return Optional.ofNullable(creationDate);
  }

  /** The operation of the replica's last use, if it was used. */
  public Optional<String> lastUsedOperation() {
    return Optional.ofNullable(lastUsedOperation);
  }

  /** When the replica was last used, if it was. */
  public Optional<Instant> lastUsedAt() {
    return Optional.ofNullable(lastUsedAt);
  }

  @Override
  public String toString() {
    return "SeedReplica[" + region + ", " + state + "]";
  }

  /** Builds a {@link SeedReplica}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String region;
    private String description = "";
    private @Nullable String policy;
    private final Map<String, String> tags = new TreeMap<>();
    private final List<String> aliases = new ArrayList<>();
    private String state = "Enabled";
    private @Nullable Instant deletionDate;
    private @Nullable Instant creationDate;
    private @Nullable String lastUsedOperation;
    private @Nullable Instant lastUsedAt;

    private Builder() {}

    /** Sets the Region, such as {@code eu-west-1}. */
    public Builder region(String region) {
      this.region = SeedKey.requireRegion(region);
      return this;
    }

    /** Sets the description (at most 8192 characters). */
    public Builder description(String description) {
      this.description = SeedKey.requireDescription(description);
      return this;
    }

    /** Sets the key policy (a JSON document; checked when the seed is applied). */
    public Builder policy(String policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Adds a tag (key 1–128 characters without the {@code aws:} prefix, value 0–256). */
    public Builder putTag(String key, String value) {
      SeedKey.checkTag(key, value);
      tags.put(key, value);
      return this;
    }

    /** Replaces the tags. */
    public Builder tags(Map<String, String> tags) {
      this.tags.clear();
      tags.forEach(this::putTag);
      return this;
    }

    /** Adds an alias ({@code alias/...}). */
    public Builder addAlias(String alias) {
      aliases.add(SeedKey.requireAlias(alias, false));
      return this;
    }

    /** Replaces the aliases. */
    public Builder aliases(Collection<String> aliases) {
      this.aliases.clear();
      aliases.forEach(this::addAlias);
      return this;
    }

    /** Sets the key state: Enabled (default), Disabled, PendingDeletion or PendingImport. */
    public Builder state(String state) {
      this.state = SeedKey.requireState(state);
      return this;
    }

    /** Sets when a replica in PendingDeletion is deleted. */
    public Builder deletionDate(Instant deletionDate) {
      this.deletionDate = Objects.requireNonNull(deletionDate, "deletionDate");
      return this;
    }

    /** Sets when the replica was created. */
    public Builder creationDate(Instant creationDate) {
      this.creationDate = Objects.requireNonNull(creationDate, "creationDate");
      return this;
    }

    /** Records that the replica was last used by {@code operation} at {@code at}. */
    public Builder lastUsed(String operation, Instant at) {
      this.lastUsedOperation = SeedKey.requireUsageOperation(operation);
      this.lastUsedAt = Objects.requireNonNull(at, "at");
      return this;
    }

    /**
     * Builds the replica.
     *
     * @throws IllegalStateException if the Region is not set, or PendingDeletion has no deletion
     *     date
     */
    public SeedReplica build() {
      if (region == null) {
        throw new IllegalStateException("replica region is not set");
      }
      if (state.equals("PendingDeletion") && deletionDate == null) {
        throw new IllegalStateException(
            "replica in " + region + " is PendingDeletion but has no deletion date");
      }
      return new SeedReplica(this);
    }
  }
}
