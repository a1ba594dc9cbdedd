package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who can do what with a key, read from its key policy alone, with a reasoned verdict on each
 * posture question: is the key public, is it shared with other accounts, are administrators kept
 * apart from users, can the policy still be changed.
 *
 * <pre>{@code
 * AccessAnalysis analysis = AccessAnalysis.of(KeyPolicy.parse(json), AccountId.of("111122223333"));
 * if (analysis.isPublic()) {
 *   analysis.publicStatements().forEach(reason -> System.out.println(reason));
 * }
 * for (AccessEntry row : analysis.entries()) {
 *   System.out.println(row.principal() + " " + row.actions() + " " + row.conditions());
 * }
 * }</pre>
 *
 * <p>How statements are read:
 *
 * <ul>
 *   <li>A statement without {@code Action} or {@code Resource}, with a {@code NotResource} of
 *       {@code *}, with no action a key policy can authorize, or with a condition whose value list
 *       is empty (not under {@code IfExists} or {@code ForAllValues:}) grants nothing: KMS accepts
 *       it, but it has no effect. {@link #ineffectiveStatements()} lists them.
 *   <li>Wildcards and {@code NotAction} are expanded to the catalog actions a key policy can
 *       authorize ({@link KmsAction#isKeyPolicyAuthorizable()}).
 *   <li>A resource other than {@code *} is read as possibly this key, so analysis errs towards
 *       granting.
 *   <li>Principals AWS does not accept are read as broadly as they could match: a partial wildcard
 *       such as {@code arn:aws:iam::*:root} as every matching principal, an Allow with {@code
 *       NotPrincipal} as everyone except those named. A policy that carries them is therefore
 *       reported as public, never as safe.
 *   <li>Conditions are read as possibly met, except where {@link #isPublic()} explains otherwise.
 *   <li>Deny statements never widen access. The access table lists what Allow statements grant and
 *       does not subtract what a Deny may take away. Two Deny shapes are credited: an unconditional
 *       Deny of {@code kms:PutKeyPolicy} to everyone (it creates a lockout), and a Deny to
 *       everyone, covering the Allow's actions, whose only condition is a negated match against
 *       fixed account, organization or network values, such as {@code "StringNotEquals":
 *       {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}} (it refuses every caller outside them, including
 *       callers without the key, so it narrows a wildcard Allow as a positive condition would).
 * </ul>
 *
 * <p><strong>Separation of duties.</strong> {@link #administrators()} can change the key's policy,
 * deletion, enabled state, tags, aliases, rotation or (without {@code kms:GrantIsForAWSResource})
 * grants. {@value #SELF_GRANT_WARNING}
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html">Key
 *     policies in AWS KMS</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html">Determining
 *     access to AWS KMS keys</a>
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html">AWS KMS
 *     condition keys ({@code kms:ViaService}, {@code kms:CallerAccount}, {@code
 *     kms:GrantIsForAWSResource})</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html">IAM
 *     condition operators ({@code IfExists}, negated operators)</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html">Single-valued
 *     vs. multivalued context keys ({@code ForAllValues:} is true when the key is absent)</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html">NotPrincipal
 *     (not supported with Allow)</a>
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/abac.html">ABAC for AWS KMS
 *     (tags and aliases control access)</a>
 */
public final class AccessAnalysis {

  /**
   * AWS's warning about key administrators, which every separation-of-duties verdict carries: a
   * principal that can change the key policy, the key's tags or its aliases can give itself the
   * right to use the key (directly, or through conditions on {@code aws:ResourceTag} or {@code
   * kms:ResourceAliases}), so being an administrator without use permissions does not keep it from
   * using the key.
   */
  public static final String SELF_GRANT_WARNING =
      "Whoever can change the key policy, the key's tags or its aliases can give themselves"
          + " permission to use the key: an administrator without use permissions is not kept"
          + " from using it.";

  /** The catalog actions a key policy can authorize, sorted by name. */
  static final Set<KmsAction> AUTHORIZABLE = AccessTable.AUTHORIZABLE;

  private final AccessTable table;
  private final PublicAccess publicAccess;
  private final CrossAccountAccess crossAccount;
  private final KeyDuties duties;
  private final LockoutAnalysis lockout;
  private final StatementHygiene hygiene;

  private AccessAnalysis(KeyPolicy policy, AccountId keyAccount) {
    this.table = new AccessTable(policy, keyAccount);
    this.publicAccess = new PublicAccess(table);
    this.crossAccount = new CrossAccountAccess(table);
    this.duties = new KeyDuties(table);
    this.lockout = new LockoutAnalysis(table);
    this.hygiene = new StatementHygiene(table);
  }

  /**
   * Analyses {@code policy}, the key policy of a key in {@code keyAccount}.
   *
   * @param policy the key policy
   * @param keyAccount the account that owns the key: it decides what counts as cross-account, and
   *     which account-root statements delegate to the key owner's IAM
   * @return the analysis
   */
  public static AccessAnalysis of(KeyPolicy policy, AccountId keyAccount) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(keyAccount, "keyAccount");
    return new AccessAnalysis(policy, keyAccount);
  }

  /** Returns the policy analysed. */
  public KeyPolicy policy() {
    return table.policy;
  }

  /** Returns the account that owns the key. */
  public AccountId keyAccount() {
    return table.keyAccount;
  }

  /**
   * Returns who can do what: one row per principal (or class of principals) and set of conditions,
   * sorted by principal, then conditions. Rows come from Allow statements that have an effect; what
   * a Deny statement takes away is not subtracted.
   */
  public List<AccessEntry> entries() {
    return table.entries;
  }

  /**
   * Returns the statements that have no effect (no {@code Action} or {@code Resource}, no action a
   * key policy can authorize, or a condition with an empty value list), each with why.
   */
  public List<StatementReason> ineffectiveStatements() {
    return table.ineffective;
  }

  /**
   * Returns whether the key is public: some Allow names everyone ({@code "*"} or {@code {"AWS":
   * "*"}}), a partial-wildcard principal such as {@code arn:aws:iam::*:root}, or a {@code
   * NotPrincipal}, and no condition narrows the caller to known accounts or an organization or to a
   * network origin.
   *
   * <p>A condition narrows only if it is positive ({@code StringEquals}, {@code
   * StringEqualsIgnoreCase}, {@code StringLike}, {@code ArnEquals}, {@code ArnLike}; {@code
   * IpAddress} for {@code aws:SourceIp}), must be present (no {@code IfExists}, no {@code
   * ForAllValues:}), and its values are fixed (no wildcard, no policy variable), on one of the keys
   * {@code kms:CallerAccount}, {@code aws:PrincipalAccount}, {@code aws:PrincipalOrgID}, {@code
   * aws:PrincipalOrgPaths}, {@code aws:PrincipalArn}, {@code aws:SourceAccount}, {@code
   * aws:SourceArn}, {@code aws:SourceVpce}, {@code aws:SourceVpc}, or {@code aws:SourceIp} with
   * ranges no broader than /8 (IPv4) or /32 (IPv6). A wildcard value still narrows when its fixed
   * prefix pins the organization ({@code o-xxxxxxxxxx/…*} in {@code aws:PrincipalOrgPaths}) or the
   * account ({@code arn:aws:iam::111122223333:…*} in {@code aws:PrincipalArn}). Condition keys are
   * compared ignoring case. {@code kms:ViaService} alone does not narrow: it names the calling
   * service, not the caller's account. A Deny guard (see the class documentation) narrows like a
   * positive condition.
   *
   * @see #publicVerdict()
   * @see #publicStatements()
   */
  public boolean isPublic() {
    return publicAccess.verdict.isPublic();
  }

  /**
   * Returns the public verdict: {@link PublicVerdict#PUBLIC}, {@link PublicVerdict#NOT_PUBLIC}, or
   * {@link PublicVerdict#NOT_PUBLIC_ACCOUNTS_UNKNOWN} when a wildcard Allow is narrowed only to a
   * network origin.
   */
  public PublicVerdict publicVerdict() {
    return publicAccess.verdict;
  }

  /**
   * Returns the statements that make the key public, each saying which principal and why no
   * condition narrows it; empty when the key is not public.
   */
  public List<StatementReason> publicStatements() {
    return publicAccess.publicStatements;
  }

  /**
   * Returns a reason for every Allow statement with a wildcard principal: either why it is public,
   * or which condition narrows it.
   */
  public List<StatementReason> publicReasons() {
    return publicAccess.reasons;
  }

  /**
   * Returns the principals outside the key's account that an Allow names, sorted: ARNs and account
   * ids of other accounts, {@code anyone in account …} for a wildcard narrowed to other accounts,
   * and the description of a wildcard that reaches unknown accounts.
   */
  public List<String> crossAccountPrincipals() {
    return crossAccount.principals;
  }

  /**
   * Returns the accounts other than the key's account that an Allow names, sorted: in principals,
   * and in the fixed values of {@code kms:CallerAccount}, {@code aws:PrincipalAccount}, {@code
   * aws:SourceAccount}, {@code aws:PrincipalArn} or {@code aws:SourceArn} conditions of wildcard
   * statements.
   */
  public List<AccountId> externalAccounts() {
    return crossAccount.externalAccounts;
  }

  /**
   * Returns whether an Allow reaches principals outside the key's account: a named external account
   * or principal, or a wildcard not pinned to the key's account.
   */
  public boolean isCrossAccount() {
    return !crossAccount.reasons.isEmpty();
  }

  /** Returns the statements that make the key cross-account, each with why. */
  public List<StatementReason> crossAccountReasons() {
    return crossAccount.reasons;
  }

  /**
   * Returns the principals allowed administrative actions, sorted by principal: {@code
   * kms:PutKeyPolicy}, {@code ScheduleKeyDeletion}, {@code CancelKeyDeletion}, {@code DisableKey},
   * {@code TagResource}, {@code UntagResource}, {@code CreateAlias}, {@code UpdateAlias}, {@code
   * DeleteAlias}, {@code EnableKeyRotation}, {@code DisableKeyRotation}, {@code RotateKeyOnDemand},
   * and {@code CreateGrant} unless the statement requires {@code "Bool":
   * {"kms:GrantIsForAWSResource": true}}. {@value #SELF_GRANT_WARNING}
   */
  public List<PrincipalActions> administrators() {
    return duties.administrators;
  }

  /**
   * Returns the principals allowed to use the key, sorted by principal: the cryptographic
   * operations, and {@code CreateGrant}, {@code ListGrants} and {@code RevokeGrant} in statements
   * that require {@code "Bool": {"kms:GrantIsForAWSResource": true}}.
   */
  public List<PrincipalActions> users() {
    return duties.users;
  }

  /**
   * Returns the principals that are both administrators and users, with both kinds of action. Even
   * an administrator not listed here can make itself a user: {@value #SELF_GRANT_WARNING}
   */
  public List<PrincipalActions> adminsWhoCanUse() {
    return duties.adminsWhoCanUse;
  }

  /** Returns AWS's warning that administrators can make themselves users ({@value}). */
  public String selfGrantWarning() {
    return SELF_GRANT_WARNING;
  }

  /**
   * Returns whether the policy risks locking everyone out: no principal but a deleted (unique id)
   * or unrecognized one is allowed {@code kms:PutKeyPolicy}, or an unconditional Deny takes it from
   * everyone. An Allow for an account counts as someone: the account's IAM policies decide.
   */
  public boolean lockoutRisk() {
    return lockout.risk;
  }

  /** Returns one sentence that explains {@link #lockoutRisk()}. */
  public String lockoutExplanation() {
    return lockout.explanation;
  }

  /** Returns the statements about {@code kms:PutKeyPolicy} that decide {@link #lockoutRisk()}. */
  public List<StatementReason> lockoutReasons() {
    return lockout.reasons;
  }

  /**
   * Runs KMS's key-policy lockout safety check for {@code callerArn}, the principal that will send
   * the policy with {@code CreateKey} or {@code PutKeyPolicy}: KMS refuses a policy that would not
   * let the caller call {@code PutKeyPolicy} later ("The new key policy will not allow you to
   * update the key policy in the future").
   *
   * <p>The check passes when an Allow with {@code kms:PutKeyPolicy} names the caller directly (its
   * user, its role — a session matches its role — its session, everyone, or a {@code NotPrincipal}
   * that does not list it), or names the caller's account: then IAM decides, and KMS's check counts
   * the account statement as passing. Conditions are read as possibly met. It fails when the caller
   * is in another account ({@code PutKeyPolicy} does not work across accounts) or an unconditional
   * Deny of {@code kms:PutKeyPolicy} names the caller.
   *
   * @param callerArn the ARN of the calling user, role, role session or account root
   * @return whether the check passes, and why
   * @throws IllegalArgumentException if {@code callerArn} is not a user, role, session or root ARN
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key">Prevent
   *     an unmanageable key</a>
   */
  public LockoutCheck canPutKeyPolicy(String callerArn) {
    Objects.requireNonNull(callerArn, "callerArn");
    return lockout.canPutKeyPolicy(callerArn);
  }

  /**
   * Returns the Allow statements that give cryptographic operations to principals other than
   * service principals without a {@code kms:ViaService} condition: those principals can use the key
   * directly, not only through an AWS service.
   */
  public List<StatementReason> usageWithoutViaService() {
    return hygiene.usageWithoutViaService;
  }

  /**
   * Returns the Allow statements that give {@code kms:CreateGrant} without {@code "Bool":
   * {"kms:GrantIsForAWSResource": true}}: the grantee can pass the key's use on to any principal.
   */
  public List<StatementReason> createGrantWithoutAwsResourceCondition() {
    return hygiene.createGrantWithoutAwsResourceCondition;
  }

  @Override
  public String toString() {
    return String.format(
        "AccessAnalysis[account=%s, public=%s, crossAccount=%s, lockoutRisk=%s, entries=%d]",
        table.keyAccount,
        publicAccess.verdict,
        isCrossAccount(),
        lockout.risk,
        table.entries.size());
  }
}
