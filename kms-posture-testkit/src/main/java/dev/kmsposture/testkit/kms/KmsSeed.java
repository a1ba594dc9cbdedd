package dev.kmsposture.testkit.kms;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The state an embedded KMS starts from (and returns to on {@link LocalKms#reset()}): keys with
 * their aliases, tags, policies, grants, rotation history, replicas and last usage, and optionally
 * when last-usage tracking began.
 *
 * <pre>{@code
 * KmsSeed seed = KmsSeed.builder()
 *     .key(k -> k.keyId("1234abcd-12ab-34cd-56ef-1234567890ab").addAlias("alias/orders"))
 *     .key(k -> k.keySpec("RSA_2048").keyUsage("SIGN_VERIFY").state("Disabled"))
 *     .build();
 * LocalKms kms = LocalKms.builder().seed(seed).build();
 * }</pre>
 *
 * <p>A seed can also be read from a YAML or JSON file with {@link #read(Path)}; see {@link
 * KmsSeedFile} for the format. Immutable; the builder is not thread-safe.
 */
public final class KmsSeed {
  private final List<SeedKey> keys;
  private final @Nullable Instant trackingStartDate;

  private KmsSeed(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.trackingStartDate = b.trackingStartDate;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a seed file (YAML or JSON).
   *
   * @throws KmsSeedException if the file cannot be read or a field is missing, unknown or has a bad
   *     value; the message names the file and the field
   */
  public static KmsSeed read(Path file) {
    return KmsSeedFile.read(file);
  }

  /** The keys, in the order they are created. */
  public List<SeedKey> keys() {
    return keys;
  }

  /** When last-usage tracking began; see {@link Builder#trackingStartDate}. */
  public Optional<Instant> trackingStartDate() {
    return Optional.ofNullable(trackingStartDate);
  }

  /** Returns a builder that starts from this seed. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.keys.addAll(keys);
    b.trackingStartDate = trackingStartDate;
    return b;
  }

  @Override
  public String toString() {
    return "KmsSeed[" + keys.size() + " keys]";
  }

  /** Builds a {@link KmsSeed}. Not thread-safe. */
  public static final class Builder {
    private final List<SeedKey> keys = new ArrayList<>();
    private @Nullable Instant trackingStartDate;

    private Builder() {}

    /** Adds a key. */
    public Builder key(SeedKey key) {
      keys.add(Objects.requireNonNull(key, "key"));
      return this;
    }

    /** Adds a key built by {@code key}. */
    public Builder key(Consumer<SeedKey.Builder> key) {
      SeedKey.Builder b = SeedKey.builder();
      key.accept(b);
      return key(b.build());
    }

    /** Replaces the keys. */
    public Builder keys(Collection<SeedKey> keys) {
      this.keys.clear();
      keys.forEach(this::key);
      return this;
    }

    /**
     * Sets when last-usage tracking began ({@code GetKeyLastUsage}'s {@code TrackingStartDate} for
     * keys created before it); applies unless the {@link LocalKms.Builder} sets one.
     */
    public Builder trackingStartDate(Instant trackingStartDate) {
      this.trackingStartDate = Objects.requireNonNull(trackingStartDate, "trackingStartDate");
      return this;
    }

    /** Builds the seed. */
    public KmsSeed build() {
      return new KmsSeed(this);
    }
  }
}
