package dev.kmsposture.rules;

/** The result of one rule on one key (or on the account). */
public enum Status {
  /** The key meets the rule. */
  PASS,
  /** The key breaks the rule. */
  FAIL,
  /** The rule does not apply to this key; the finding says why. */
  NOT_APPLICABLE,
  /** The data the rule needs could not be read or was not collected; never counted as a pass. */
  UNKNOWN
}
