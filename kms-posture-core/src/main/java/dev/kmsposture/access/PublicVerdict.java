package dev.kmsposture.access;

/**
 * Whether a key policy lets principals of accounts it does not name use the key: the evaluator's
 * answer for every such principal ({@link AccessAnalysis#publicVerdict()}).
 *
 * @see AccessAnalysis#publicVerdict()
 */
public enum PublicVerdict {
  /**
   * A principal of an account the policy does not name (with an organization, network and source
   * the policy does not name either) is allowed some action, or allowed it if its own IAM policies
   * allow: {@link AccessAnalysis#publicWitness()} holds such a request.
   */
  PUBLIC,
  /** No principal of an account the policy does not name is allowed anything. */
  NOT_PUBLIC,
  /**
   * Not public, but a principal of an unnamed account is allowed when it calls from a network
   * origin the policy names ({@code aws:SourceVpce}, {@code aws:SourceVpc}, a narrow {@code
   * aws:SourceIp}): which accounts can call from there is not known.
   */
  NOT_PUBLIC_ACCOUNTS_UNKNOWN,
  /**
   * The analysis cannot tell: no request it tried is allowed, but its representative requests do
   * not cover every request (overlapping wildcard patterns, policy variables, unknown operators);
   * {@link AccessAnalysis#publicStatements()} says why. Read it as "possibly public".
   */
  POSSIBLY_PUBLIC;

  /** Returns whether this verdict is {@link #PUBLIC} or {@link #POSSIBLY_PUBLIC}. */
  public boolean isPublic() {
    return this == PUBLIC || this == POSSIBLY_PUBLIC;
  }

  /**
   * Returns whether the evaluator proves the key not public ({@link #NOT_PUBLIC} or with a
   * network).
   */
  public boolean isNotPublic() {
    return this == NOT_PUBLIC || this == NOT_PUBLIC_ACCOUNTS_UNKNOWN;
  }
}
