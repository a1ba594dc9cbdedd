package dev.kmsposture.access;

/**
 * What a {@link StatementReason} says, as a value: code reads the code, people read the message
 * rendered with it. Each constant belongs to one verdict of {@link AccessAnalysis}.
 */
public enum ReasonCode {
  /** The statement has no effect ({@link AccessAnalysis#ineffectiveStatements()}). */
  INEFFECTIVE,
  /** The statement grants a row of the access table ({@link AccessAnalysis#entries()}). */
  GRANTS,

  /**
   * A wildcard Allow reaches principals of accounts the policy does not name: the key is public.
   */
  PUBLIC,
  /**
   * A wildcard Allow is narrowed to known accounts or an organization, or lists only operations no
   * other account can call.
   */
  NARROWED_TO_ACCOUNTS,
  /**
   * A wildcard Allow lists only operations no other account can call (not public), and lets every
   * principal of the key's account the policy does not name call one of them, whatever its IAM
   * policies say ({@link AccessAnalysis#accountWideStatements()}).
   */
  ACCOUNT_WIDE,
  /** A wildcard Allow is narrowed only to a network origin; which accounts can call is unknown. */
  NARROWED_TO_NETWORK,
  /**
   * Whether an Allow reaches principals of accounts the policy does not name cannot be told (the
   * analysis's representative requests do not cover every request).
   */
  POSSIBLY_PUBLIC,

  /** An Allow names a principal or account outside the key's account. */
  NAMES_OTHER_ACCOUNT,
  /** A wildcard Allow is pinned to accounts other than the key's account. */
  WILDCARD_PINNED_TO_OTHER_ACCOUNTS,
  /**
   * A wildcard Allow is narrowed (to an organization or a network) but not pinned to the key's
   * account, so it reaches accounts the policy does not name.
   */
  WILDCARD_NOT_PINNED,
  /** A wildcard Allow reaches any account. */
  WILDCARD_ANY_ACCOUNT,
  /**
   * An Allow reaches a principal of another account through a pattern, condition or NotPrincipal.
   */
  REACHES_OTHER_ACCOUNT,
  /** Whether an Allow reaches another account cannot be told. */
  POSSIBLY_REACHES_OTHER_ACCOUNT,

  /** The statement allows administrative actions ({@link AccessAnalysis#administrators()}). */
  ADMINISTERS,
  /** The statement allows use of the key ({@link AccessAnalysis#users()}). */
  USES,

  /** The statement allows {@code kms:PutKeyPolicy} to a principal that can act. */
  ALLOWS_PUT_KEY_POLICY,
  /** The statement allows {@code kms:PutKeyPolicy} only to principals no caller can act as. */
  ALLOWS_PUT_KEY_POLICY_TO_NOBODY,
  /**
   * The statement denies {@code kms:PutKeyPolicy} to the principals that could change the policy.
   */
  DENIES_PUT_KEY_POLICY,
  /**
   * The statement allows {@code kms:PutKeyPolicy} only to principals of other accounts, where it
   * does not work ({@code PutKeyPolicy} is not a cross-account operation).
   */
  ALLOWS_PUT_KEY_POLICY_ONLY_ACROSS_ACCOUNTS,

  /** For one caller: the statement allows it {@code kms:PutKeyPolicy} (itself, not through IAM). */
  ALLOWS_CALLER,
  /** For one caller: the statement allows {@code kms:PutKeyPolicy} to its account, through IAM. */
  ALLOWS_CALLER_ACCOUNT,
  /** For one caller: the statement denies it {@code kms:PutKeyPolicy}. */
  DENIES_CALLER,

  /** The statement allows cryptographic use without a {@code kms:ViaService} condition. */
  USE_WITHOUT_VIA_SERVICE,
  /** The statement allows {@code kms:CreateGrant} without {@code kms:GrantIsForAWSResource}. */
  CREATE_GRANT_WITHOUT_AWS_RESOURCE
}
