package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

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
 * <p><strong>One source of truth.</strong> Every verdict is the evaluator's ({@link
 * KeyAccessEvaluator}) over the whole policy, quantified over requests: the analysis builds a
 * finite set of representative requests (the principals the policy names, stand-ins for every
 * principal it does not name in the key's account, in each account it names and in one fresh
 * account, and representative values of every context key its conditions read) such that every
 * request is decided like one of them, and asks the evaluator. A verdict that says "yes" comes with
 * a {@link Witness}, a request the evaluator decides that way; a verdict that says "no" holds for
 * every request. When the representatives cannot cover every request (overlapping wildcard patterns
 * on one key, policy variables, unknown operators), a question the analysis cannot settle is
 * answered "possibly" ({@link PublicVerdict#POSSIBLY_PUBLIC}, {@link
 * LockoutVerdict#POSSIBLY_LOCKED_OUT}, {@link AccessAnswer.Answer#POSSIBLY}), never as safe.
 *
 * <p>What the statements say is read only to explain: which principal and which conditions (the
 * messages of {@link StatementReason}), and the rows of {@link #entries()}, which list what Allow
 * statements grant without subtracting what a Deny takes away.
 *
 * <ul>
 *   <li>A statement without {@code Action} or {@code Resource}, with a {@code NotResource} of
 *       {@code *}, with no action a key policy can authorize, or with a condition whose value list
 *       is empty (not under {@code IfExists} or {@code ForAllValues:}) grants nothing: KMS accepts
 *       it, but it has no effect. {@link #ineffectiveStatements()} lists them.
 *   <li>Wildcards and {@code NotAction} are expanded to the catalog actions a key policy can
 *       authorize ({@link KmsAction#isKeyPolicyAuthorizable()}).
 *   <li>A {@code Resource} is matched against the key's ARN ({@link #of(KeyPolicy, AccountId,
 *       String)}); {@code *} means this key. Without the key's ARN ({@link #of(KeyPolicy,
 *       AccountId)}), the verdicts are worked out for every key the policy names and for a key it
 *       does not name; where they differ, the verdict is "possibly".
 *   <li>Principals AWS does not accept are read as broadly as they could match, as the evaluator
 *       reads them: a partial wildcard such as {@code arn:aws:iam::*:root} as every matching
 *       principal, an Allow with {@code NotPrincipal} as everyone except those named.
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
  // Without the key's ARN: the analyses of the same policy attached to each key it names.
  private final List<AccessAnalysis> alternatives;
  private volatile @Nullable RootDelegation rootDelegation;

  private AccessAnalysis(
      KeyPolicy policy, AccountId keyAccount, String keyArn, List<AccessAnalysis> alternatives) {
    this.table = new AccessTable(policy, keyAccount, keyArn);
    this.publicAccess = new PublicAccess(table);
    Set<Integer> publicIndices = new TreeSet<>();
    for (StatementReason r : publicAccess.publicStatements) {
      if (r.code() == ReasonCode.PUBLIC) {
        publicIndices.add(r.place().index());
      }
    }
    this.crossAccount = new CrossAccountAccess(table, publicIndices);
    this.duties = new KeyDuties(table);
    this.lockout = new LockoutAnalysis(table);
    this.hygiene = new StatementHygiene(table);
    this.alternatives = List.copyOf(alternatives);
  }

  /**
   * Analyses {@code policy}, the key policy of a key in {@code keyAccount} whose ARN is not known.
   * A statement whose {@code Resource} names a particular key may be about this key or another: the
   * verdicts are worked out for each key the policy names in {@code keyAccount} and for a key it
   * does not name, and where they differ the verdict is "possibly". Pass the key's ARN ({@link
   * #of(KeyPolicy, AccountId, String)}) for an exact answer.
   *
   * @param policy the key policy
   * @param keyAccount the account that owns the key: it decides what counts as cross-account, and
   *     which account-root statements delegate to the key owner's IAM
   * @return the analysis
   */
  public static AccessAnalysis of(KeyPolicy policy, AccountId keyAccount) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(keyAccount, "keyAccount");
    String placeholder =
        "arn:aws:kms:us-east-1:" + keyAccount.value() + ":key/00000000-0000-0000-0000-000000000000";
    List<AccessAnalysis> alternatives = new ArrayList<>();
    for (String arn : namedKeys(policy, keyAccount)) {
      if (!arn.equals(placeholder)) {
        alternatives.add(new AccessAnalysis(policy, keyAccount, arn, List.of()));
      }
    }
    return new AccessAnalysis(policy, keyAccount, placeholder, alternatives);
  }

  /**
   * Analyses {@code policy}, the key policy of the key {@code keyArn} in {@code keyAccount}.
   *
   * @param policy the key policy
   * @param keyAccount the account that owns the key
   * @param keyArn the key's ARN: a {@code Resource} other than {@code *} applies only when it
   *     matches it
   * @return the analysis
   * @throws IllegalArgumentException if {@code keyArn} is not an ARN
   */
  public static AccessAnalysis of(KeyPolicy policy, AccountId keyAccount, String keyArn) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(keyAccount, "keyAccount");
    Objects.requireNonNull(keyArn, "keyArn");
    if (Arn.tryParse(keyArn).isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "key ARN [%s] is not an ARN; expected arn:aws:kms:REGION:ACCOUNT:key/KEY_ID",
              keyArn));
    }
    return new AccessAnalysis(policy, keyAccount, keyArn, List.of());
  }

  // The KMS key ARNs in keyAccount that the policy's Resource elements name literally.
  private static Set<String> namedKeys(KeyPolicy policy, AccountId keyAccount) {
    Set<String> out = new TreeSet<>();
    for (dev.kmsposture.policy.Statement s : policy.statements()) {
      for (String r : s.resources()) {
        Arn arn = Arn.tryParse(r).orElse(null);
        if (arn != null
            && arn.service().equals("kms")
            && arn.account().equals(keyAccount.value())
            && arn.resource().startsWith("key/")
            && !r.contains("*")
            && !r.contains("?")
            && !r.contains("${")) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** Returns whether every alternative reading agrees with this one on {@code verdict}. */
  private <T> boolean alternativesAgree(java.util.function.Function<AccessAnalysis, T> verdict) {
    T mine = verdict.apply(this);
    for (AccessAnalysis a : alternatives) {
      if (!mine.equals(verdict.apply(a))) {
        return false;
      }
    }
    return true;
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
   * Returns the key ARN the statements' {@code Resource} elements were matched against (a stand-in
   * when the analysis was made without it).
   */
  public String keyArn() {
    return table.keyArn;
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
   * Returns whether the key may be public ({@link PublicVerdict#isPublic()}): the evaluator allows
   * a principal of an account the policy does not name some action, or the analysis cannot tell.
   *
   * <p>Such a principal (its root user, users, roles, sessions and federated users, and AWS service
   * principals and wildcards the policy does not name) is tried with every action and every value
   * of the request context, except that the keys that describe who calls and from where ({@link
   * dev.kmsposture.policy.NarrowingKey}: its account, organization, organization paths, source
   * account, source ARN, VPC, VPC endpoint, and an IP address in a range no broader than /8 or /32)
   * take only values the policy does not name: a principal outside every account, organization and
   * network the policy names. A condition on {@code kms:ViaService}, the encryption context or any
   * other key the caller chooses therefore does not keep it out, while a positive condition with
   * fixed values on one of those keys, or a Deny that refuses every caller outside them (whose
   * {@code Resource} covers this key), does. Anonymous requests are never allowed by KMS.
   *
   * @see #publicVerdict()
   * @see #publicStatements()
   */
  public boolean isPublic() {
    return publicVerdict().isPublic();
  }

  /**
   * Returns the public verdict: {@link PublicVerdict#PUBLIC} (with {@link #publicWitness()}),
   * {@link PublicVerdict#NOT_PUBLIC}, {@link PublicVerdict#NOT_PUBLIC_ACCOUNTS_UNKNOWN} when such a
   * principal gets in only from a network origin the policy names, or {@link
   * PublicVerdict#POSSIBLY_PUBLIC} when the analysis cannot tell.
   */
  public PublicVerdict publicVerdict() {
    if (alternativesAgree(a -> a.publicAccess.verdict)) {
      return publicAccess.verdict;
    }
    return PublicVerdict.POSSIBLY_PUBLIC;
  }

  /**
   * Returns a request by a principal of an account the policy does not name that the evaluator
   * allows (or allows if that principal's IAM policies allow), when the key is public.
   */
  public Optional<Witness> publicWitness() {
    return publicAccess.witness();
  }

  /**
   * Returns the Allow statements that make the key public (code {@link ReasonCode#PUBLIC}) or may
   * make it public ({@link ReasonCode#POSSIBLY_PUBLIC}), each saying which principal and why no
   * condition keeps out principals of unnamed accounts; empty when the key is not public.
   */
  public List<StatementReason> publicStatements() {
    if (alternativesAgree(a -> a.publicAccess.verdict)) {
      return publicAccess.publicStatements;
    }
    List<StatementReason> out = new ArrayList<>();
    for (StatementReason r : publicAccess.publicStatements) {
      out.add(r.with(ReasonCode.POSSIBLY_PUBLIC, r.message() + DEPENDS_ON_KEY));
    }
    return List.copyOf(out);
  }

  private static final String DEPENDS_ON_KEY =
      "; whether this holds depends on which key the policy is attached to, since its Resource"
          + " elements name particular keys";

  /**
   * Returns a reason for every Allow statement whose principals can include principals of accounts
   * the policy does not name: why it is public, or which conditions (or Deny statements) keep them
   * out.
   */
  public List<StatementReason> publicReasons() {
    return publicAccess.reasons;
  }

  /**
   * Returns the Allow statements that are not public only because no other account can call the
   * operations they list (such as {@code kms:PutKeyPolicy}; AWS KMS API reference, "Cross-account
   * use: No"), yet let every principal of the key's account the policy does not name call one of
   * them, whatever its IAM policies say (code {@link ReasonCode#ACCOUNT_WIDE}), each with the
   * request that proves it; empty when there is none.
   */
  public List<StatementReason> accountWideStatements() {
    return publicAccess.accountWide;
  }

  /**
   * Returns the principals outside the key's account that an Allow lets in, sorted: ARNs of other
   * accounts' principals, {@code anyone in account …} for a wildcard pinned to other accounts, and
   * the description of a wildcard that reaches accounts the policy does not name.
   */
  public List<String> crossAccountPrincipals() {
    return crossAccount.principals;
  }

  /**
   * Returns the accounts other than the key's account, among those the policy names, whose
   * principals the evaluator lets in through some Allow (or may let in), sorted.
   */
  public List<AccountId> externalAccounts() {
    return crossAccount.externalAccounts;
  }

  /**
   * Returns whether an Allow lets in principals outside the key's account: of an account the policy
   * names, or of accounts it does not name.
   */
  public boolean isCrossAccount() {
    return !crossAccount.reasons.isEmpty();
  }

  /** Returns the statements that make the key cross-account, each with why. */
  public List<StatementReason> crossAccountReasons() {
    return crossAccount.reasons;
  }

  /** Returns the cross-account reasons that concern {@code account}, in statement order. */
  public List<StatementReason> crossAccountReasons(AccountId account) {
    Objects.requireNonNull(account, "account");
    return crossAccount.reasonsByAccount.getOrDefault(account, List.of());
  }

  /**
   * Returns whether a principal of {@code account} whose organization is not one of {@code
   * trustedOrganizations} is allowed some action (or allowed it if its IAM policies allow), by the
   * whole policy.
   *
   * @param account the account
   * @param trustedOrganizations organization ids; their members do not count
   * @return YES with a witness, NO, or POSSIBLY
   */
  public AccessAnswer accessFromAccount(
      AccountId account, Collection<String> trustedOrganizations) {
    Objects.requireNonNull(account, "account");
    return crossAccount.fromAccount(account, List.copyOf(trustedOrganizations), -1);
  }

  /**
   * As {@link #accessFromAccount(AccountId, Collection)}, through the one Allow statement {@code
   * through} is about (together with every Deny statement).
   */
  public AccessAnswer accessFromAccount(
      AccountId account, Collection<String> trustedOrganizations, StatementReason through) {
    Objects.requireNonNull(account, "account");
    return crossAccount.fromAccount(
        account, List.copyOf(trustedOrganizations), statementOf(through));
  }

  /**
   * Returns whether a principal of an account the policy does not name, in an organization other
   * than {@code trustedOrganizations} (and from any network), is allowed some action by the whole
   * policy: a YES means the policy reaches accounts nobody listed.
   */
  public AccessAnswer accessFromUnnamedAccounts(Collection<String> trustedOrganizations) {
    return crossAccount.fromUnnamedAccounts(List.copyOf(trustedOrganizations), -1);
  }

  /**
   * As {@link #accessFromUnnamedAccounts(Collection)}, through the one Allow statement {@code
   * through} is about (together with every Deny statement).
   */
  public AccessAnswer accessFromUnnamedAccounts(
      Collection<String> trustedOrganizations, StatementReason through) {
    return crossAccount.fromUnnamedAccounts(
        List.copyOf(trustedOrganizations), statementOf(through));
  }

  private int statementOf(StatementReason reason) {
    int i = reason.place().index();
    if (i >= table.views.size() || !table.views.get(i).grants()) {
      throw new IllegalArgumentException(
          String.format(
              "statement [%d] is not an Allow statement with an effect in this policy; pass a"
                  + " reason of this analysis",
              i));
    }
    return i;
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

  /**
   * Returns AWS's warning that administrators can make themselves users ({@value
   * #SELF_GRANT_WARNING}).
   */
  public String selfGrantWarning() {
    return SELF_GRANT_WARNING;
  }

  /**
   * Returns whether nobody may be able to change the policy any more: {@link #lockoutVerdict()} is
   * {@link LockoutVerdict#LOCKED_OUT} or {@link LockoutVerdict#POSSIBLY_LOCKED_OUT}. False when a
   * principal of the key's account can call {@code kms:PutKeyPolicy} (directly, or if its IAM
   * policies allow, which KMS accepts) with some request.
   */
  public boolean lockoutRisk() {
    return lockoutVerdict().isRisk();
  }

  /**
   * Returns whether anyone can still change the policy: the evaluator's answer for every principal
   * of the key's account (those the policy names, and stand-ins for every one it does not) calling
   * {@code kms:PutKeyPolicy}.
   *
   * <ul>
   *   <li>{@link LockoutVerdict#NOT_LOCKED_OUT}: one is allowed with a request it can be assumed to
   *       send: the keys it chooses ({@code kms:BypassPolicyLockoutSafetyCheck}, MFA) take any
   *       value, and every other key ({@code aws:PrincipalOrgID}, {@code aws:SourceIp}, {@code
   *       aws:CurrentTime}, tags) is present with a value that is not known, so an Allow that needs
   *       a particular value does not count and a Deny on such a key applies.
   *   <li>{@link LockoutVerdict#LOCKED_OUT_UNLESS}: one is allowed only with particular values of
   *       such keys ({@link #lockoutWitness()} shows which).
   *   <li>{@link LockoutVerdict#LOCKED_OUT}: no request of any principal of the account is allowed.
   *       Deny statements count whatever their principal element (everyone, the account, a {@code
   *       NotPrincipal} that exempts only a role, whose sessions are still denied) and conditions.
   *   <li>{@link LockoutVerdict#POSSIBLY_LOCKED_OUT}: the analysis cannot tell.
   * </ul>
   *
   * <p>{@code PutKeyPolicy} does not work across accounts (KMS API reference, "Cross-account use:
   * No"), so principals of other accounts never count.
   */
  public LockoutVerdict lockoutVerdict() {
    if (alternativesAgree(a -> a.lockout.verdict)) {
      return lockout.verdict;
    }
    return LockoutVerdict.POSSIBLY_LOCKED_OUT;
  }

  /**
   * Returns the {@code kms:PutKeyPolicy} request of a principal of the key's account that the
   * evaluator allows, when there is one ({@link LockoutVerdict#NOT_LOCKED_OUT} or {@link
   * LockoutVerdict#LOCKED_OUT_UNLESS}).
   */
  public Optional<Witness> lockoutWitness() {
    return Optional.ofNullable(lockout.witness);
  }

  /**
   * Returns whether the statements that allow {@code kms:PutKeyPolicy} name only principals of
   * other accounts (a lockout, since it does not work across accounts).
   */
  public boolean lockoutOnlyOtherAccounts() {
    return lockout.onlyOtherAccounts;
  }

  /** Returns one sentence that explains {@link #lockoutVerdict()}. */
  public String lockoutExplanation() {
    if (alternativesAgree(a -> a.lockout.verdict)) {
      return lockout.explanation;
    }
    return "Whether anyone can still change the policy depends on which key it is attached to,"
        + " since its Resource elements name particular keys; attached to a key it does not name: "
        + lockout.explanation;
  }

  /**
   * Returns the statements about {@code kms:PutKeyPolicy} that explain {@link #lockoutVerdict()}:
   * the Allows that give it, and the Denies that take it away.
   */
  public List<StatementReason> lockoutReasons() {
    return lockout.reasons;
  }

  /**
   * Runs KMS's key-policy lockout safety check for {@code callerArn}, the principal that will send
   * the policy with {@code CreateKey} or {@code PutKeyPolicy}: KMS refuses a policy that would not
   * let the caller call {@code PutKeyPolicy} later ("The new key policy will not allow you to
   * update the key policy in the future").
   *
   * <p>The evaluator decides: the check passes when a {@code kms:PutKeyPolicy} request of the
   * caller is allowed, or allowed if its IAM policies allow (the policy names its account, which
   * KMS's check counts) — {@link LockoutCheck.Verdict#PASSES} with a request it can be assumed to
   * send, {@link LockoutCheck.Verdict#PASSES_WITH_CONTEXT} only with particular values of keys it
   * does not choose. It fails when no request is allowed: the caller is in another account ({@code
   * PutKeyPolicy} does not work across accounts), or every Allow that names it is denied (by a
   * Deny's principal, {@code NotPrincipal} or conditions) or never applies. A role ARN stands for
   * one of its sessions, which is how a role calls; a session's role path is taken from a role of
   * the same name the policy names, or {@code /}.
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
   * Returns whether the policy delegates both administration and use of the key to the IAM policies
   * of the key's account ({@link RootDelegation}).
   */
  public RootDelegation rootDelegation() {
    RootDelegation r = rootDelegation;
    if (r == null) {
      r = new RootDelegation(table);
      rootDelegation = r;
    }
    return r;
  }

  /**
   * Returns whether some principal can schedule the key's deletion with a waiting period shorter
   * than {@code minDays}: a {@code kms:ScheduleKeyDeletion} request with {@code
   * kms:ScheduleKeyDeletionPendingWindowInDays} from 7 to {@code minDays - 1} that the evaluator
   * allows (or allows if the caller's IAM policies allow). NO means the policy enforces the minimum
   * for everyone.
   *
   * @param minDays the shortest acceptable waiting period, 7 to 30
   * @return YES with a witness, NO, or POSSIBLY
   * @throws IllegalArgumentException if {@code minDays} is outside 7 to 30
   */
  public AccessAnswer scheduleDeletionBelow(int minDays) {
    if (minDays < 7 || minDays > 30) {
      throw new IllegalArgumentException(
          String.format(
              "minDays [%d] is out of range; KMS waiting periods are 7 to 30 days", minDays));
    }
    if (minDays == 7) {
      return new AccessAnswer(AccessAnswer.Answer.NO, null, null);
    }
    List<String> windows = new ArrayList<>();
    for (int d = 7; d < minDays; d++) {
      windows.add(Integer.toString(d));
    }
    return AccessAnswer.of(
        table.search.find(
            table.search.space().callers,
            List.of(KmsAction.SCHEDULE_KEY_DELETION),
            AccessSearch.ContextChoice.free(),
            AccessSearch::grants,
            null,
            java.util.Map.of(WINDOW_KEY, windows)));
  }

  private static final String WINDOW_KEY = "kms:ScheduleKeyDeletionPendingWindowInDays";

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
        "AccessAnalysis[account=%s, public=%s, crossAccount=%s, lockout=%s, entries=%d]",
        table.keyAccount,
        publicVerdict(),
        isCrossAccount(),
        lockoutVerdict(),
        table.entries.size());
  }
}
