package dev.kmsposture.testkit.internal.kms;

import dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a key's material: its id (the {@code KeyMaterialId} KMS reports), when it came
 * into being and the secret itself. Old versions are kept after a rotation so that old ciphertexts
 * still decrypt.
 *
 * <p>The secret never appears in {@link #toString()}; for material from the crypto package the
 * material id is the material's own {@code KeyMaterialId}.
 */
final class MaterialVersion {
  private final String materialId;
  private final Instant createdAt;
  private final KeyMaterial material;

  MaterialVersion(String materialId, Instant createdAt, KeyMaterial material) {
    this.materialId = Objects.requireNonNull(materialId, "materialId");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.material = Objects.requireNonNull(material, "material");
  }

  String materialId() {
    return materialId;
  }

  Instant createdAt() {
    return createdAt;
  }

  /** The material itself (its toString is redacted). */
  KeyMaterial material() {
    return material;
  }

  @Override
  public String toString() {
    return "MaterialVersion[" + materialId + ", created " + createdAt + ", secret redacted]";
  }
}
