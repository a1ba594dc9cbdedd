package dev.kmsposture.prover;

import dev.kmsposture.access.Decision;

/**
 * How far a key policy lets one request through, on the three levels {@link
 * dev.kmsposture.access.AccessDiff} compares.
 */
public enum Allowance {
  /** Explicitly or implicitly denied. */
  DENIED,
  /**
   * Allowed if the caller's IAM policies allow it too: the key policy delegates to the account's
   * IAM (an Allow naming the account), or the caller is in another account, whose IAM policies must
   * allow as well.
   */
  ALLOWED_IF_IAM_ALLOWS,
  /** Allowed by the key policy alone. */
  ALLOWED;

  /** Returns the level of an evaluator decision. */
  public static Allowance of(Decision decision) {
    if (decision.isAllowed()) {
      return ALLOWED;
    }
    return decision.outcome() == Decision.Outcome.IMPLICITLY_DENIED && decision.delegatedToIam()
        ? ALLOWED_IF_IAM_ALLOWS
        : DENIED;
  }

  /** Returns whether this level lets the request through, at least if IAM allows. */
  public boolean isAtLeastIfIamAllows() {
    return this != DENIED;
  }
}
