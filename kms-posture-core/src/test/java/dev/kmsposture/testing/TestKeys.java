package dev.kmsposture.testing;

import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The key fixtures the tests of every module share (core's test jar): {@link KeyMetadata} starts as
 * an enabled, customer-managed symmetric encryption key with AWS key material, created on {@link
 * #CREATED}, and a test changes only what it is about.
 *
 * <pre>{@code
 * KeyMetadata m = TestKeys.metadata().keyState(KeyMetadata.DISABLED).description("orders").build();
 * }</pre>
 */
public final class TestKeys {
  /** The creation date of every fixture key, unless a test sets another. */
  public static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");

  private TestKeys() {}

  /** Returns a builder of an enabled customer-managed symmetric key's metadata. */
  public static Metadata metadata() {
    return new Metadata();
  }

  /** Builds {@link KeyMetadata}; every field starts at the fixture's value. Not thread-safe. */
  public static final class Metadata {
    private String keyManager = "CUSTOMER";
    private String keySpec = "SYMMETRIC_DEFAULT";
    private String keyUsage = "ENCRYPT_DECRYPT";
    private String origin = "AWS_KMS";
    private @Nullable String customKeyStoreId;
    private String keyState = KeyMetadata.ENABLED;
    private Instant creationDate = CREATED;
    private @Nullable Instant deletionDate;
    private String description = "";
    private @Nullable MultiRegionConfiguration multiRegion;
    private @Nullable String expirationModel;

    private Metadata() {}

    /** Sets who manages the key: {@code CUSTOMER} (the default) or {@code AWS}. */
    public Metadata keyManager(String keyManager) {
      this.keyManager = keyManager;
      return this;
    }

    /** Sets the key spec and key usage, such as {@code RSA_2048} and {@code SIGN_VERIFY}. */
    public Metadata kind(String keySpec, String keyUsage) {
      this.keySpec = keySpec;
      this.keyUsage = keyUsage;
      return this;
    }

    /** Sets the origin of the key material, and the custom key store it lives in, if any. */
    public Metadata origin(String origin, @Nullable String customKeyStoreId) {
      this.origin = origin;
      this.customKeyStoreId = customKeyStoreId;
      return this;
    }

    /** Sets the key state ({@link KeyMetadata#ENABLED} by default). */
    public Metadata keyState(String keyState) {
      this.keyState = keyState;
      return this;
    }

    /** Sets the creation date ({@link #CREATED} by default). */
    public Metadata creationDate(Instant creationDate) {
      this.creationDate = creationDate;
      return this;
    }

    /** Sets the scheduled deletion date (none by default). */
    public Metadata deletionDate(@Nullable Instant deletionDate) {
      this.deletionDate = deletionDate;
      return this;
    }

    /** Sets the description (empty by default). */
    public Metadata description(String description) {
      this.description = description;
      return this;
    }

    /** Sets the multi-Region configuration (none by default). */
    public Metadata multiRegion(@Nullable MultiRegionConfiguration multiRegion) {
      this.multiRegion = multiRegion;
      return this;
    }

    /** Sets the expiration model of imported key material (none by default). */
    public Metadata expirationModel(@Nullable String expirationModel) {
      this.expirationModel = expirationModel;
      return this;
    }

    /** Returns the metadata. */
    public KeyMetadata build() {
      return new KeyMetadata(
          keyManager,
          keySpec,
          keyUsage,
          origin,
          customKeyStoreId,
          keyState,
          creationDate,
          deletionDate,
          null,
          description,
          multiRegion,
          expirationModel,
          null);
    }
  }
}
