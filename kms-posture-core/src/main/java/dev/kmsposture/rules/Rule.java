package dev.kmsposture.rules;

/**
 * A posture rule: a value with metadata ({@link #info()}) that judges keys ({@link KeyRule}) or the
 * account ({@link AccountRule}). Rules are pure functions of the snapshot and the context: no I/O,
 * no exception for a bad policy, and a result for every key they are asked about — {@code PASS},
 * {@code FAIL}, {@code NOT_APPLICABLE} with the reason, or {@code UNKNOWN} when the data could not
 * be read.
 *
 * <p>Sealed: a rule is one of the two kinds, so the engine cannot skip a new kind silently.
 * Implement {@link KeyRule} or {@link AccountRule}.
 */
public sealed interface Rule permits KeyRule, AccountRule {
  /** Returns what this rule is. */
  RuleInfo info();

  /** Returns the rule's id. */
  default RuleId id() {
    return info().id();
  }
}
