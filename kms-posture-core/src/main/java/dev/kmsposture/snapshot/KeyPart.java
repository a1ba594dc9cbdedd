package dev.kmsposture.snapshot;

/**
 * A part of a key's snapshot that is read by its own API call and so may be missing on its own: a
 * rule that needs a part which could not be read reports {@code UNKNOWN}, never {@code PASS}.
 */
public enum KeyPart {
  /** {@code GetKeyPolicy}. */
  POLICY,
  /** {@code GetKeyRotationStatus}. */
  ROTATION,
  /** {@code ListKeyRotations}. */
  ROTATIONS,
  /** {@code ListResourceTags}. */
  TAGS,
  /** {@code ListAliases}. */
  ALIASES,
  /** {@code ListGrants}. */
  GRANTS,
  /** {@code GetKeyLastUsage}. */
  LAST_USAGE,
  /** CloudTrail events about the key. */
  KEY_EVENTS,
  /** The resources that use the key (for AWS-managed keys). */
  RESOURCES
}
