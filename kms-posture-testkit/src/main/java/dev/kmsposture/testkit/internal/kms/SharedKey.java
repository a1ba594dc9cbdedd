package dev.kmsposture.testkit.internal.kms;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the keys of one multi-Region key set share (for a single-Region key, what the key has on its
 * own): the key id, spec, usage, origin, manager, the key material and its rotation.
 *
 * <p>Developer Guide, "Multi-Region keys": related keys share "the same key ID, key material, key
 * spec, key usage, key material origin, and automatic key rotation status"; policy, grants,
 * aliases, tags, description and key state are per key.
 *
 * <p>Mutable; guarded by the engine's lock.
 */
final class SharedKey {
  final String keyId;
  final String keySpec;
  final String keyUsage;
  final String origin;
  final String keyManager;
  final boolean multiRegion;

  /** The material versions, oldest first; the last one is current. */
  final List<MaterialVersion> versions = new ArrayList<>();

  boolean rotationEnabled;
  int rotationPeriodDays = 365;
  @Nullable Instant nextRotationDate;

  /**
   * When automatic rotation was enabled or last rotated automatically: the period counts from it.
   */
  @Nullable Instant rotationAnchor;

  /** An automatic rotation fell due while the key could not rotate; it happens on EnableKey. */
  boolean rotationDue;

  @Nullable Instant onDemandStartDate;
  @Nullable Instant onDemandCompleteAt;
  int onDemandCount;
  final List<RotationRecord> rotations = new ArrayList<>();

  /**
   * Material imported with ImportType {@code NEW_KEY_MATERIAL} into a symmetric key with imported
   * material: it becomes current at the next on-demand rotation.
   */
  @Nullable MaterialVersion pendingRotation;

  /** The expiration model and date given with {@link #pendingRotation}, applied when it rotates. */
  @Nullable String pendingExpirationModel;

  @Nullable Instant pendingValidTo;

  /**
   * The KeyMaterialDescription last given when importing each material (by material id), which
   * ListKeyRotations answers; written without the lock, hence concurrent.
   */
  final Map<String, String> materialDescriptions = new java.util.concurrent.ConcurrentHashMap<>();

  String primaryRegion;

  /** The keys of the set by Region, primary first, then replicas in creation order. */
  final Map<String, KmsKey> members = new LinkedHashMap<>();

  SharedKey(
      String keyId,
      String keySpec,
      String keyUsage,
      String origin,
      String keyManager,
      boolean multiRegion,
      String primaryRegion) {
    this.keyId = keyId;
    this.keySpec = keySpec;
    this.keyUsage = keyUsage;
    this.origin = origin;
    this.keyManager = keyManager;
    this.multiRegion = multiRegion;
    this.primaryRegion = primaryRegion;
  }

  @Nullable MaterialVersion current() {
    return versions.isEmpty() ? null : versions.get(versions.size() - 1);
  }

  @Nullable MaterialVersion version(String materialId) {
    for (MaterialVersion v : versions) {
      if (v.materialId().equals(materialId)) {
        return v;
      }
    }
    return null;
  }

  @Nullable KmsKey primary() {
    return members.get(primaryRegion);
  }

  boolean isAwsManaged() {
    return keyManager.equals("AWS");
  }

  @Override
  public String toString() {
    return "SharedKey[" + keyId + ", " + keySpec + ", " + versions.size() + " material versions]";
  }
}
