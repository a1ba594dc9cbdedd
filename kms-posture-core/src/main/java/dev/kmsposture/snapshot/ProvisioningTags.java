package dev.kmsposture.snapshot;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tags kms-posture writes on keys it creates or retires, under the reserved prefix {@value
 * #PREFIX} (blueprints may not use it):
 *
 * <ul>
 *   <li>{@value #RUN}: the provisioning run that created the key, on every {@code CreateKey} and
 *       {@code ReplicateKey}. {@code CreateKey} has no idempotency token, so a retried or timed-out
 *       call can create a key the caller never hears of; the run tag is how the provisioner finds
 *       such a key ({@code ListKeys} + {@code ListResourceTags}).
 *   <li>{@value #FAILED}: the run of a failed provisioning that left this key half-made; the
 *       provisioner disables such a key and schedules its deletion. A key that carries both tags
 *       with the same run, and has not been used, is exempt from the retirement guard and from the
 *       deletion rules: nothing ever depended on it.
 *   <li>{@value #DISABLED_AT}: when a retirement disabled the key (ISO 8601 UTC), since KMS keeps
 *       no disabled-since time.
 * </ul>
 */
public final class ProvisioningTags {
  /** The prefix of every tag kms-posture writes. */
  public static final String PREFIX = "kms-posture:";

  /** The provisioning run that created the key. */
  public static final String RUN = PREFIX + "provisioning-run";

  /** The provisioning run that failed and left the key half-made. */
  public static final String FAILED = PREFIX + "provisioning-failed";

  /** When a retirement disabled the key. */
  public static final String DISABLED_AT = PREFIX + "disabled-at";

  private ProvisioningTags() {}

  /** Returns whether {@code tagKey} is under the reserved prefix (in any letter case). */
  public static boolean isReserved(String tagKey) {
    return tagKey.toLowerCase(Locale.ROOT).startsWith(PREFIX);
  }

  /**
   * Returns whether {@code tags} mark a key left half-made by a failed provisioning run: both the
   * run and the failed tag are present and name the same run.
   */
  public static boolean isFailedProvisioning(Map<String, String> tags) {
    Objects.requireNonNull(tags, "tags");
    String run = tags.get(RUN);
    return run != null && !run.isBlank() && run.equals(tags.get(FAILED));
  }

  /**
   * Returns whether {@code key} is a never-used leftover of a failed provisioning run: its tags
   * mark it so ({@link #isFailedProvisioning(Map)}) and, when its last usage is known, it was never
   * used. Such a key is exempt from the deletion rules; a key that was used is not, whatever its
   * tags say.
   */
  public static boolean isUnusedFailedProvisioning(KeySnapshot key) {
    Map<String, String> tags = key.tags();
    if (tags == null || !isFailedProvisioning(tags)) {
      return false;
    }
    KeyLastUsage usage = key.lastUsage();
    return usage == null || usage.lastUsedAt() == null;
  }

  /** Returns the run named by the {@value #RUN} tag, if any. */
  public static Optional<String> run(Map<String, String> tags) {
    return Optional.ofNullable(tags.get(RUN));
  }
}
