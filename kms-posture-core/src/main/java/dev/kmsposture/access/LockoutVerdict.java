package dev.kmsposture.access;

/**
 * Whether anyone can still change a key policy: the evaluator's answer for every principal of the
 * key's account and every request it could send ({@link AccessAnalysis#lockoutVerdict()}). {@code
 * PutKeyPolicy} does not work across accounts, so only the key's account counts.
 */
public enum LockoutVerdict {
  /**
   * A principal of the key's account is allowed {@code kms:PutKeyPolicy} (or allowed it if its IAM
   * policies allow) with a request it can send: one that carries only context the caller chooses
   * ({@code kms:BypassPolicyLockoutSafetyCheck}, MFA), whatever the rest of the context is.
   */
  NOT_LOCKED_OUT,
  /** No principal of the key's account is allowed {@code kms:PutKeyPolicy}, whatever it sends. */
  LOCKED_OUT,
  /**
   * No principal of the key's account is allowed {@code kms:PutKeyPolicy} with a request it can be
   * assumed to send; one is allowed only when the request carries context it does not choose (an
   * organization, a network, a time, a tag): {@link AccessAnalysis#lockoutWitness()} shows it. Read
   * it as "possibly locked out".
   */
  LOCKED_OUT_UNLESS,
  /** The analysis cannot tell (its representative requests do not cover every request). */
  POSSIBLY_LOCKED_OUT;

  /** Returns whether nobody may be able to change the policy: locked out, or cannot tell. */
  public boolean isRisk() {
    return this == LOCKED_OUT || this == POSSIBLY_LOCKED_OUT;
  }
}
