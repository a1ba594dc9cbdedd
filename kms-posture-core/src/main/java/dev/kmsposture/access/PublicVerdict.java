package dev.kmsposture.access;

/**
 * Whether a key policy lets principals outside any known account use the key.
 *
 * @see AccessAnalysis#publicVerdict()
 */
public enum PublicVerdict {
  /**
   * An Allow names everyone ({@code *}), a partial-wildcard principal or a {@code NotPrincipal},
   * and no condition with fixed values narrows the caller to known accounts, an organization or a
   * network origin.
   */
  PUBLIC,
  /** No Allow reaches beyond principals, accounts or an organization the policy names. */
  NOT_PUBLIC,
  /**
   * Not public, but some Allow is narrowed only to a network origin ({@code aws:SourceVpce}, {@code
   * aws:SourceVpc}, or a narrow {@code aws:SourceIp}): which accounts can call is not known.
   */
  NOT_PUBLIC_ACCOUNTS_UNKNOWN;

  /** Returns whether this verdict is {@link #PUBLIC}. */
  public boolean isPublic() {
    return this == PUBLIC;
  }
}
