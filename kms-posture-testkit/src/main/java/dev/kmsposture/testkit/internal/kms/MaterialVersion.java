package dev.kmsposture.testkit.internal.kms;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One version of a key's material: its id (the {@code KeyMaterialId} KMS reports), when it came
 * into being and the secret itself. Old versions are kept after a rotation so that old ciphertexts
 * still decrypt.
 *
 * <p>The secret never appears in {@link #toString()}.
 */
final class MaterialVersion {
  private final String materialId;
  private final Instant createdAt;
  private final @Nullable Object secret;

  MaterialVersion(String materialId, Instant createdAt, @Nullable Object secret) {
    this.materialId = Objects.requireNonNull(materialId, "materialId");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.secret = secret;
  }

  String materialId() {
    return materialId;
  }

  Instant createdAt() {
    return createdAt;
  }

  @Nullable Object secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "MaterialVersion[" + materialId + ", created " + createdAt + ", secret redacted]";
  }
}
