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
  RESOURCES,
  /**
   * {@code DescribeKey}: the key's metadata. The key is listed ({@code ListKeys}) but what it is
   * could not be read, or the answer lacked a field the rules need and that cannot be derived; no
   * rule judges such a key (every key rule reports {@code UNKNOWN}). Since schema version 2.
   */
  METADATA,
  /** Who called KMS with the key, from CloudTrail ({@link KeyCaller}). Since schema version 2. */
  CALLERS
}
