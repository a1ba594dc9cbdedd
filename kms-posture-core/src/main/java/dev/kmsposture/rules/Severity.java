package dev.kmsposture.rules;

/** How much a rule matters, in the KMS security checklist's own words. Ordered from most severe. */
public enum Severity {
  /** The checklist's [Critical]. */
  CRITICAL,
  /** The checklist's [Recommended]. */
  RECOMMENDED,
  /** The checklist's [Optional]. */
  OPTIONAL;

  /** Returns whether this severity is at least as severe as {@code threshold}. */
  public boolean isAtLeast(Severity threshold) {
    return compareTo(threshold) <= 0;
  }
}
