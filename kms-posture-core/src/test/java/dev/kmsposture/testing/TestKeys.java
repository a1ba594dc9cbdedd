package dev.kmsposture.testing;

import dev.kmsposture.snapshot.KeyMetadata;
import java.time.Instant;

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

  /**
   * Returns {@link KeyMetadata#builder()} filled with an enabled, customer-managed symmetric
   * encryption key with AWS key material, created on {@link #CREATED}, without description.
   */
  public static KeyMetadata.Builder metadata() {
    return KeyMetadata.builder()
        .keyManager("CUSTOMER")
        .keySpec("SYMMETRIC_DEFAULT")
        .keyUsage("ENCRYPT_DECRYPT")
        .origin("AWS_KMS")
        .keyState(KeyMetadata.ENABLED)
        .creationDate(CREATED);
  }
}
