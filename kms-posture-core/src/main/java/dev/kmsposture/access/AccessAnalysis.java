package dev.kmsposture.access;

import dev.kmsposture.internal.glob.Glob;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
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

  /** The administrative actions: they change who can use the key, or whether it can be used. */
  private static final Set<KmsAction> ADMIN_ACTIONS =
      Set.of(
          KmsAction.PUT_KEY_POLICY,
          KmsAction.SCHEDULE_KEY_DELETION,
          KmsAction.CANCEL_KEY_DELETION,
          KmsAction.DISABLE_KEY,
          KmsAction.TAG_RESOURCE,
          KmsAction.UNTAG_RESOURCE,
          KmsAction.CREATE_ALIAS,
          KmsAction.UPDATE_ALIAS,
          KmsAction.DELETE_ALIAS,
          KmsAction.ENABLE_KEY_ROTATION,
          KmsAction.DISABLE_KEY_ROTATION,
          KmsAction.ROTATE_KEY_ON_DEMAND);

  /** Grant actions that count as use when restricted to AWS resources. */
  private static final Set<KmsAction> AWS_RESOURCE_GRANT_ACTIONS =
      Set.of(KmsAction.CREATE_GRANT, KmsAction.LIST_GRANTS, KmsAction.REVOKE_GRANT);

  private static final Pattern PINNED_PRINCIPAL =
      Pattern.compile("arn:[a-z-]+:(iam|sts)::[0-9]{12}:.*");

  private static final Comparator<KmsAction> BY_NAME = Comparator.comparing(KmsAction::name);

  private final KeyPolicy policy;
  private final AccountId keyAccount;
  private final List<Guard> guards;
  private final List<AccessEntry> entries;
  private final List<StatementReason> ineffective;
  private final PublicVerdict publicVerdict;
  private final List<StatementReason> publicStatements;
  private final List<StatementReason> publicReasons;
  private final List<String> crossAccountPrincipals;
  private final List<AccountId> externalAccounts;
  private final List<StatementReason> crossAccountReasons;
  private final List<PrincipalActions> administrators;
  private final List<PrincipalActions> users;
  private final List<PrincipalActions> adminsWhoCanUse;
  private final boolean lockoutRisk;
  private final String lockoutExplanation;
  private final List<StatementReason> lockoutReasons;
  private final List<StatementReason> usageWithoutViaService;
  private final List<StatementReason> createGrantWithoutAwsResourceCondition;

  private AccessAnalysis(KeyPolicy policy, AccountId keyAccount) {
    this.policy = policy;
    this.keyAccount = keyAccount;
    List<View> views = new ArrayList<>();
    List<StatementReason> dead = new ArrayList<>();
    for (int i = 0; i < policy.statements().size(); i++) {
      View v = View.of(policy, i);
      views.add(v);
      if (v.whyIneffective != null) {
        dead.add(v.reason(v.whyIneffective));
      }
    }
    this.ineffective = List.copyOf(dead);
    List<Guard> denyGuards = new ArrayList<>();
    for (View v : views) {
      if (v.whyIneffective == null) {
        ConditionScope.guardOf(v.statement).ifPresent(g -> denyGuards.add(new Guard(v, g)));
      }
    }
    this.guards = List.copyOf(denyGuards);
    this.entries = buildEntries(views);

    // Public
    List<StatementReason> pub = new ArrayList<>();
    List<StatementReason> all = new ArrayList<>();
    PublicVerdict verdict = PublicVerdict.NOT_PUBLIC;
    for (View v : views) {
      if (!v.grants()) {
        continue;
      }
      Optional<String> who = wildcardDescription(v.statement);
      if (who.isEmpty()) {
        continue;
      }
      ConditionScope scope = scopeOf(v);
      String allows = "allows " + summarize(v.actions) + " to " + who.get();
      switch (scope.kind()) {
        case ACCOUNTS:
          all.add(
              v.reason(
                  allows
                      + ", but "
                      + String.join(" and ", scope.narrowing())
                      + " narrows the caller to known accounts or an organization"));
          break;
        case NETWORK:
          all.add(
              v.reason(
                  allows
                      + ", but "
                      + String.join(" and ", scope.narrowing())
                      + " narrows the caller to a network origin; which accounts can call is"
                      + " unknown"));
          if (verdict == PublicVerdict.NOT_PUBLIC) {
            verdict = PublicVerdict.NOT_PUBLIC_ACCOUNTS_UNKNOWN;
          }
          break;
        default:
          String why =
              scope.notNarrowing().isEmpty()
                  ? "; it has no condition"
                  : ": " + String.join("; ", scope.notNarrowing());
          StatementReason r =
              v.reason(
                  allows
                      + " and no condition narrows the caller to known accounts, an organization"
                      + " or a network"
                      + why);
          all.add(r);
          pub.add(r);
          verdict = PublicVerdict.PUBLIC;
      }
    }
    this.publicVerdict = verdict;
    this.publicStatements = List.copyOf(pub);
    this.publicReasons = List.copyOf(all);

    // Cross-account
    Set<String> xPrincipals = new TreeSet<>();
    Set<AccountId> xAccounts = new TreeSet<>();
    List<StatementReason> xReasons = new ArrayList<>();
    for (View v : views) {
      if (!v.grants()) {
        continue;
      }
      crossAccount(v, xPrincipals, xAccounts, xReasons);
    }
    this.crossAccountPrincipals = List.copyOf(xPrincipals);
    this.externalAccounts = List.copyOf(xAccounts);
    this.crossAccountReasons = List.copyOf(xReasons);

    // Separation of duties
    Map<String, Acc> admins = new TreeMap<>();
    Map<String, Acc> uses = new TreeMap<>();
    for (View v : views) {
      if (!v.grants()) {
        continue;
      }
      boolean awsResourceOnly = grantIsForAwsResource(v.statement);
      Set<KmsAction> admin = new TreeSet<>(BY_NAME);
      Set<KmsAction> use = new TreeSet<>(BY_NAME);
      for (KmsAction a : v.actions) {
        if (ADMIN_ACTIONS.contains(a) || (a.equals(KmsAction.CREATE_GRANT) && !awsResourceOnly)) {
          admin.add(a);
        }
        if (a.isCryptographic() || (awsResourceOnly && AWS_RESOURCE_GRANT_ACTIONS.contains(a))) {
          use.add(a);
        }
      }
      for (Grantee g : grantees(v)) {
        if (!admin.isEmpty()) {
          admins
              .computeIfAbsent(g.label, k -> new Acc())
              .add(admin, v.reason("allows " + summarize(admin) + " to " + g.label));
        }
        if (!use.isEmpty()) {
          uses.computeIfAbsent(g.label, k -> new Acc())
              .add(use, v.reason("allows " + summarize(use) + " to " + g.label));
        }
      }
    }
    this.administrators = toList(admins);
    this.users = toList(uses);
    Map<String, Acc> both = new TreeMap<>();
    for (Map.Entry<String, Acc> e : admins.entrySet()) {
      Acc u = uses.get(e.getKey());
      if (u != null) {
        Acc b = new Acc();
        b.actions.addAll(e.getValue().actions);
        b.actions.addAll(u.actions);
        b.reasons.addAll(e.getValue().reasons);
        b.reasons.addAll(u.reasons);
        both.put(e.getKey(), b);
      }
    }
    this.adminsWhoCanUse = toList(both);

    // Lockout
    List<StatementReason> lockReasons = new ArrayList<>();
    boolean someone = false;
    boolean deniedToAll = false;
    for (View v : views) {
      if (v.whyIneffective != null || !v.actions.contains(KmsAction.PUT_KEY_POLICY)) {
        continue;
      }
      if (!v.statement.isAllow()) {
        if (!v.statement.isNotPrincipal()
            && v.statement.principals().stream().anyMatch(Principal::isEveryone)
            && v.statement.conditions().isEmpty()) {
          deniedToAll = true;
          lockReasons.add(
              v.reason(
                  "denies kms:PutKeyPolicy to everyone without a condition, so no principal can"
                      + " change the policy"));
        }
        continue;
      }
      for (Grantee g : grantees(v)) {
        if (g.nobody) {
          lockReasons.add(
              v.reason(
                  "allows kms:PutKeyPolicy only to " + g.label + ", which no caller can act as"));
        } else {
          someone = true;
          lockReasons.add(v.reason("allows kms:PutKeyPolicy to " + g.label));
        }
      }
    }
    this.lockoutRisk = deniedToAll || !someone;
    if (deniedToAll) {
      this.lockoutExplanation =
          "A Deny statement takes kms:PutKeyPolicy from everyone: nobody can change the policy.";
    } else if (!someone) {
      this.lockoutExplanation =
          lockReasons.isEmpty()
              ? "No statement allows kms:PutKeyPolicy: nobody can change the policy, and AWS"
                  + " Support would have to restore access."
              : "Only deleted or unrecognized principals are allowed kms:PutKeyPolicy: nobody can"
                  + " change the policy.";
    } else {
      this.lockoutExplanation =
          "At least one principal (or the account, through IAM) is allowed kms:PutKeyPolicy.";
    }
    this.lockoutReasons = List.copyOf(lockReasons);

    // Usage without kms:ViaService; CreateGrant without kms:GrantIsForAWSResource
    List<StatementReason> noVia = new ArrayList<>();
    List<StatementReason> grantNoAws = new ArrayList<>();
    for (View v : views) {
      if (!v.grants()) {
        continue;
      }
      Set<KmsAction> crypto = new TreeSet<>(BY_NAME);
      for (KmsAction a : v.actions) {
        if (a.isCryptographic()) {
          crypto.add(a);
        }
      }
      boolean nonService =
          v.statement.isNotPrincipal()
              || v.statement.principals().stream().anyMatch(p -> !(p instanceof Principal.Service));
      if (!crypto.isEmpty() && nonService && !hasViaService(v.statement)) {
        noVia.add(
            v.reason(
                "allows "
                    + summarize(crypto)
                    + " to "
                    + describePrincipals(v.statement)
                    + " without a kms:ViaService condition, so they can use the key directly,"
                    + " not only through an AWS service"));
      }
      if (v.actions.contains(KmsAction.CREATE_GRANT) && !grantIsForAwsResource(v.statement)) {
        grantNoAws.add(
            v.reason(
                "allows kms:CreateGrant to "
                    + describePrincipals(v.statement)
                    + " without \"Bool\": {\"kms:GrantIsForAWSResource\": true}, so they can"
                    + " grant the key's use to any principal, not only to an AWS service acting"
                    + " for them"));
      }
    }
    this.usageWithoutViaService = List.copyOf(noVia);
    this.createGrantWithoutAwsResourceCondition = List.copyOf(grantNoAws);
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
    return policy;
  }

  /** Returns the account that owns the key. */
  public AccountId keyAccount() {
    return keyAccount;
  }

  /**
   * Returns who can do what: one row per principal (or class of principals) and set of conditions,
   * sorted by principal, then conditions. Rows come from Allow statements that have an effect; what
   * a Deny statement takes away is not subtracted.
   */
  public List<AccessEntry> entries() {
    return entries;
  }

  /**
   * Returns the statements that have no effect (no {@code Action} or {@code Resource}, no action a
   * key policy can authorize, or a condition with an empty value list), each with why.
   */
  public List<StatementReason> ineffectiveStatements() {
    return ineffective;
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
    return publicVerdict.isPublic();
  }

  /**
   * Returns the public verdict: {@link PublicVerdict#PUBLIC}, {@link PublicVerdict#NOT_PUBLIC}, or
   * {@link PublicVerdict#NOT_PUBLIC_ACCOUNTS_UNKNOWN} when a wildcard Allow is narrowed only to a
   * network origin.
   */
  public PublicVerdict publicVerdict() {
    return publicVerdict;
  }

  /**
   * Returns the statements that make the key public, each saying which principal and why no
   * condition narrows it; empty when the key is not public.
   */
  public List<StatementReason> publicStatements() {
    return publicStatements;
  }

  /**
   * Returns a reason for every Allow statement with a wildcard principal: either why it is public,
   * or which condition narrows it.
   */
  public List<StatementReason> publicReasons() {
    return publicReasons;
  }

  /**
   * Returns the principals outside the key's account that an Allow names, sorted: ARNs and account
   * ids of other accounts, {@code anyone in account …} for a wildcard narrowed to other accounts,
   * and the description of a wildcard that reaches unknown accounts.
   */
  public List<String> crossAccountPrincipals() {
    return crossAccountPrincipals;
  }

  /**
   * Returns the accounts other than the key's account that an Allow names, sorted: in principals,
   * and in the fixed values of {@code kms:CallerAccount}, {@code aws:PrincipalAccount}, {@code
   * aws:SourceAccount}, {@code aws:PrincipalArn} or {@code aws:SourceArn} conditions of wildcard
   * statements.
   */
  public List<AccountId> externalAccounts() {
    return externalAccounts;
  }

  /**
   * Returns whether an Allow reaches principals outside the key's account: a named external account
   * or principal, or a wildcard not pinned to the key's account.
   */
  public boolean isCrossAccount() {
    return !crossAccountReasons.isEmpty();
  }

  /** Returns the statements that make the key cross-account, each with why. */
  public List<StatementReason> crossAccountReasons() {
    return crossAccountReasons;
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
    return administrators;
  }

  /**
   * Returns the principals allowed to use the key, sorted by principal: the cryptographic
   * operations, and {@code CreateGrant}, {@code ListGrants} and {@code RevokeGrant} in statements
   * that require {@code "Bool": {"kms:GrantIsForAWSResource": true}}.
   */
  public List<PrincipalActions> users() {
    return users;
  }

  /**
   * Returns the principals that are both administrators and users, with both kinds of action. Even
   * an administrator not listed here can make itself a user: {@value #SELF_GRANT_WARNING}
   */
  public List<PrincipalActions> adminsWhoCanUse() {
    return adminsWhoCanUse;
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
    return lockoutRisk;
  }

  /** Returns one sentence that explains {@link #lockoutRisk()}. */
  public String lockoutExplanation() {
    return lockoutExplanation;
  }

  /** Returns the statements about {@code kms:PutKeyPolicy} that decide {@link #lockoutRisk()}. */
  public List<StatementReason> lockoutReasons() {
    return lockoutReasons;
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
    Caller caller = Caller.parse(callerArn);
    if (!caller.account.equals(keyAccount)) {
      return new LockoutCheck(
          false,
          String.format(
              "the caller [%s] is in account %s, not the key's account %s; kms:PutKeyPolicy does"
                  + " not work across accounts",
              callerArn, caller.account, keyAccount),
          List.of());
    }
    List<StatementReason> direct = new ArrayList<>();
    List<StatementReason> delegated = new ArrayList<>();
    for (int i = 0; i < policy.statements().size(); i++) {
      View v = View.of(policy, i);
      if (v.whyIneffective != null || !v.actions.contains(KmsAction.PUT_KEY_POLICY)) {
        continue;
      }
      Statement s = v.statement;
      if (!s.isAllow()) {
        if (s.conditions().isEmpty() && !s.isNotPrincipal() && caller.matchesAny(s.principals())) {
          return new LockoutCheck(
              false,
              "an unconditional Deny of kms:PutKeyPolicy names the caller, so KMS would refuse the"
                  + " policy",
              List.of(v.reason("denies kms:PutKeyPolicy to the caller without a condition")));
        }
        continue;
      }
      String conds = s.conditions().isEmpty() ? "" : " (its conditions are read as possibly met)";
      if (s.isNotPrincipal()) {
        if (!caller.isExemptBy(s.principals())) {
          direct.add(
              v.reason(
                  "allows kms:PutKeyPolicy to everyone not in its NotPrincipal, which includes the"
                      + " caller"
                      + conds));
        }
        continue;
      }
      for (Principal p : s.principals()) {
        if (caller.matchesDirectly(p)) {
          direct.add(v.reason("allows kms:PutKeyPolicy to " + p.value() + conds));
        } else if (p instanceof Principal.Aws
            && ((Principal.Aws) p).kind() == Principal.AwsKind.ACCOUNT
            && ((Principal.Aws) p).accountId().map(caller.account::equals).orElse(false)) {
          delegated.add(
              v.reason(
                  "allows kms:PutKeyPolicy to account "
                      + caller.account
                      + ", delegating to its IAM policies"
                      + conds));
        }
      }
    }
    if (!direct.isEmpty()) {
      return new LockoutCheck(
          true,
          "the policy allows the caller kms:PutKeyPolicy directly, so KMS's lockout safety check"
              + " passes",
          direct);
    }
    if (!delegated.isEmpty()) {
      return new LockoutCheck(
          true,
          "the policy allows kms:PutKeyPolicy to the caller's account, so IAM policies decide and"
              + " KMS's lockout safety check passes; the caller still needs an IAM policy that"
              + " allows kms:PutKeyPolicy to change the policy later",
          delegated);
    }
    return new LockoutCheck(
        false,
        "no Allow statement gives kms:PutKeyPolicy to the caller, its role or its account, so KMS"
            + " would refuse the policy (The new key policy will not allow you to update the key"
            + " policy in the future)",
        List.of());
  }

  /**
   * Returns the Allow statements that give cryptographic operations to principals other than
   * service principals without a {@code kms:ViaService} condition: those principals can use the key
   * directly, not only through an AWS service.
   */
  public List<StatementReason> usageWithoutViaService() {
    return usageWithoutViaService;
  }

  /**
   * Returns the Allow statements that give {@code kms:CreateGrant} without {@code "Bool":
   * {"kms:GrantIsForAWSResource": true}}: the grantee can pass the key's use on to any principal.
   */
  public List<StatementReason> createGrantWithoutAwsResourceCondition() {
    return createGrantWithoutAwsResourceCondition;
  }

  @Override
  public String toString() {
    return String.format(
        "AccessAnalysis[account=%s, public=%s, crossAccount=%s, lockoutRisk=%s, entries=%d]",
        keyAccount, publicVerdict, isCrossAccount(), lockoutRisk, entries.size());
  }

  // ---------------------------------------------------------------------------------------------

  private List<AccessEntry> buildEntries(List<View> views) {
    Map<String, EntryAcc> rows = new TreeMap<>();
    for (View v : views) {
      if (!v.grants()) {
        continue;
      }
      List<String> conds = new ArrayList<>();
      for (Condition c : v.statement.conditions()) {
        conds.add(ConditionScope.render(c));
      }
      for (Grantee g : grantees(v)) {
        String key = g.label + '\u0000' + String.join("\u0000", conds);
        EntryAcc row = rows.computeIfAbsent(key, k -> new EntryAcc(g.label, conds, g.delegated));
        row.actions.addAll(v.actions);
        row.reasons.add(v.reason("allows " + summarize(v.actions) + " to " + g.label));
      }
    }
    List<AccessEntry> out = new ArrayList<>();
    for (EntryAcc row : rows.values()) {
      out.add(
          new AccessEntry(
              row.label,
              List.copyOf(row.actions),
              row.conditions,
              List.copyOf(row.reasons),
              row.delegated));
    }
    return List.copyOf(out);
  }

  // The statement's own conditions, or a Deny guard that narrows every caller it does not deny.
  private ConditionScope scopeOf(View v) {
    ConditionScope own = ConditionScope.of(v.statement.conditions());
    if (own.kind() == ConditionScope.Kind.ACCOUNTS) {
      return own;
    }
    ConditionScope best = own;
    for (Guard g : guards) {
      if (!g.deny.actions.containsAll(v.actions)) {
        continue;
      }
      if (g.scope.kind() == ConditionScope.Kind.ACCOUNTS) {
        return own.guardedBy(g.scope, g.deny.reason("").statementName());
      }
      if (best.kind() == ConditionScope.Kind.NONE) {
        best = own.guardedBy(g.scope, g.deny.reason("").statementName());
      }
    }
    return best;
  }

  /** A Deny statement that refuses every caller outside some accounts, organization or network. */
  private static final class Guard {
    final View deny;
    final ConditionScope scope;

    Guard(View deny, ConditionScope scope) {
      this.deny = deny;
      this.scope = scope;
    }
  }

  private List<Grantee> grantees(View v) {
    Statement s = v.statement;
    if (s.isNotPrincipal()) {
      return List.of(new Grantee("anyone except " + values(s.principals()), false, false));
    }
    ConditionScope scope = null;
    List<Grantee> out = new ArrayList<>();
    for (Principal p : s.principals()) {
      if (p.isEveryone()) {
        if (scope == null) {
          scope = scopeOf(v);
        }
        String label =
            scope.kind() == ConditionScope.Kind.NONE
                ? "anyone"
                : "anyone matching " + String.join(" and ", scope.narrowing());
        out.add(new Grantee(label, false, false));
      } else if (p instanceof Principal.Aws) {
        Principal.Aws aws = (Principal.Aws) p;
        switch (aws.kind()) {
          case ACCOUNT:
            AccountId a = aws.accountId().orElseThrow();
            out.add(
                new Grantee(
                    "account "
                        + a
                        + (a.equals(keyAccount) ? " (via IAM)" : " (via IAM, another account)"),
                    true,
                    false));
            break;
          case PARTIAL_WILDCARD:
            out.add(new Grantee("principals matching " + aws.value(), false, false));
            break;
          case UNIQUE_ID:
            out.add(new Grantee("deleted principal " + aws.value(), false, true));
            break;
          case UNRECOGNIZED:
            out.add(new Grantee("unrecognized principal " + aws.value(), false, true));
            break;
          default:
            out.add(new Grantee(aws.value(), false, false));
        }
      } else if (p instanceof Principal.Service) {
        out.add(new Grantee(p.value(), false, false));
      } else {
        out.add(
            new Grantee(
                p.type() + " principal " + p.value() + " (not valid in a key policy)",
                false,
                true));
      }
    }
    return out;
  }

  // Who a wildcard statement reaches, or empty when it names no wildcard principal.
  private static Optional<String> wildcardDescription(Statement s) {
    if (s.isNotPrincipal()) {
      return Optional.of(
          "everyone except "
              + values(s.principals())
              + " (Allow with NotPrincipal is not supported by AWS; read as broadly as it could"
              + " match)");
    }
    List<String> parts = new ArrayList<>();
    for (Principal p : s.principals()) {
      if (p instanceof Principal.Everyone) {
        parts.add("anyone (Principal \"*\")");
      } else if (p instanceof Principal.Aws && p.isEveryone()) {
        parts.add("anyone (Principal {\"AWS\": \"*\"})");
      } else if (p instanceof Principal.Service && p.isEveryone()) {
        parts.add("anyone (Principal {\"Service\": \"*\"})");
      } else if (p instanceof Principal.Aws
          && ((Principal.Aws) p).kind() == Principal.AwsKind.PARTIAL_WILDCARD
          && !PINNED_PRINCIPAL
              .matcher(p.value().substring(0, ConditionScope.firstWildcard(p.value())))
              .matches()) {
        parts.add(
            "every principal matching "
                + p.value()
                + " (IAM does not accept partial wildcards; read as broadly as it could match)");
      }
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", parts));
  }

  private void crossAccount(
      View v, Set<String> principals, Set<AccountId> accounts, List<StatementReason> reasons) {
    Statement s = v.statement;
    String acts = summarize(v.actions);
    Optional<String> wildcard = wildcardDescription(s);
    if (wildcard.isPresent()) {
      ConditionScope scope = scopeOf(v);
      Optional<Set<AccountId>> pinned =
          scope.kind() == ConditionScope.Kind.ACCOUNTS ? scope.accounts() : Optional.empty();
      if (pinned.isPresent()) {
        Set<AccountId> others = new TreeSet<>(pinned.get());
        others.remove(keyAccount);
        for (AccountId a : others) {
          accounts.add(a);
          principals.add("anyone in account " + a);
        }
        if (!others.isEmpty()) {
          reasons.add(
              v.reason(
                  "allows "
                      + acts
                      + " to "
                      + wildcard.get()
                      + " in account(s) "
                      + others
                      + " (by "
                      + String.join(" and ", scope.narrowing())
                      + "), not the key's account "
                      + keyAccount));
        }
      } else {
        String label =
            scope.kind() == ConditionScope.Kind.NONE
                ? "anyone"
                : "anyone matching " + String.join(" and ", scope.narrowing());
        principals.add(label);
        reasons.add(
            v.reason(
                "allows "
                    + acts
                    + " to "
                    + wildcard.get()
                    + (scope.kind() == ConditionScope.Kind.NONE
                        ? ", in any account"
                        : ", and "
                            + String.join(" and ", scope.narrowing())
                            + " does not pin the caller to the key's account")));
      }
    }
    if (s.isNotPrincipal()) {
      return;
    }
    for (Principal p : s.principals()) {
      if (!(p instanceof Principal.Aws)) {
        continue;
      }
      Principal.Aws aws = (Principal.Aws) p;
      Optional<AccountId> account = aws.accountId();
      if (aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
        String prefix = aws.value().substring(0, ConditionScope.firstWildcard(aws.value()));
        account =
            PINNED_PRINCIPAL.matcher(prefix).matches()
                ? ConditionScope.accountOfArn(aws.value())
                : Optional.empty();
      }
      if (account.isPresent() && !account.get().equals(keyAccount)) {
        accounts.add(account.get());
        principals.add(aws.value());
        reasons.add(
            v.reason(
                "allows "
                    + acts
                    + " to "
                    + aws.value()
                    + " in account "
                    + account.get()
                    + ", not the key's account "
                    + keyAccount));
      }
    }
  }

  private static boolean grantIsForAwsResource(Statement s) {
    for (Condition c : s.conditions()) {
      ConditionOperator op = c.operator();
      if (c.key().sameKeyAs(ConditionKeys.GRANT_IS_FOR_AWS_RESOURCE)
          && op.base().equals("Bool")
          && !op.ifExists()
          && op.qualifier() == ConditionOperator.Qualifier.NONE
          && !c.values().isEmpty()
          && c.values().stream().allMatch(val -> val.text().equalsIgnoreCase("true"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasViaService(Statement s) {
    for (Condition c : s.conditions()) {
      ConditionOperator op = c.operator();
      if (c.key().sameKeyAs(ConditionKeys.VIA_SERVICE)
          && !op.ifExists()
          && !op.isNegated()
          && op.qualifier() != ConditionOperator.Qualifier.FOR_ALL_VALUES
          && !c.values().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static String describePrincipals(Statement s) {
    return (s.isNotPrincipal() ? "everyone except " : "") + values(s.principals());
  }

  private static String values(List<Principal> principals) {
    List<String> out = new ArrayList<>();
    for (Principal p : principals) {
      out.add(p.value());
    }
    return out.size() == 1 ? out.get(0) : out.toString();
  }

  /** Names up to four actions, or "every key action", for messages. */
  static String summarize(Set<KmsAction> actions) {
    if (actions.size() == AUTHORIZABLE.size()) {
      return "every key action";
    }
    List<String> names = new ArrayList<>();
    for (KmsAction a : actions) {
      names.add(a.name());
    }
    if (names.size() <= 4) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, 3)) + " and " + (names.size() - 3) + " more";
  }

  private static List<PrincipalActions> toList(Map<String, Acc> map) {
    List<PrincipalActions> out = new ArrayList<>();
    for (Map.Entry<String, Acc> e : map.entrySet()) {
      out.add(
          new PrincipalActions(
              e.getKey(), List.copyOf(e.getValue().actions), List.copyOf(e.getValue().reasons)));
    }
    return List.copyOf(out);
  }

  /** The catalog actions a key policy can authorize, sorted by name. */
  static final Set<KmsAction> AUTHORIZABLE = authorizable();

  private static Set<KmsAction> authorizable() {
    Set<KmsAction> out = new TreeSet<>(BY_NAME);
    for (KmsAction a : KmsAction.known()) {
      if (a.isKeyPolicyAuthorizable()) {
        out.add(a);
      }
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  /** Condition key names used here. */
  private static final class ConditionKeys {
    static final String VIA_SERVICE = "kms:ViaService";
    static final String GRANT_IS_FOR_AWS_RESOURCE = "kms:GrantIsForAWSResource";

    private ConditionKeys() {}
  }

  /** One statement, with its expanded actions and whether it has an effect. */
  private static final class View {
    final int index;
    final Statement statement;
    final @Nullable String sid;
    final String pointer;
    final Set<KmsAction> actions;
    final @Nullable String whyIneffective;

    private View(
        int index,
        Statement statement,
        String pointer,
        Set<KmsAction> actions,
        @Nullable String whyIneffective) {
      this.index = index;
      this.statement = statement;
      this.sid = statement.sid();
      this.pointer = pointer;
      this.actions = actions;
      this.whyIneffective = whyIneffective;
    }

    static View of(KeyPolicy policy, int index) {
      Statement s = policy.statements().get(index);
      Set<KmsAction> actions = new TreeSet<>(BY_NAME);
      Set<KmsAction> expanded =
          s.isNotAction() ? KmsAction.complementOf(s.actions()) : KmsAction.expandAll(s.actions());
      for (KmsAction a : expanded) {
        if (a.isKeyPolicyAuthorizable()) {
          actions.add(a);
        }
      }
      return new View(
          index,
          s,
          policy.pointerOf(index),
          java.util.Collections.unmodifiableSet(actions),
          whyIneffective(s, actions));
    }

    private static @Nullable String whyIneffective(Statement s, Set<KmsAction> actions) {
      if (s.action() == null) {
        return "has no Action or NotAction, so it has no effect (KMS accepts it silently)";
      }
      if (s.resource() == null) {
        return "has no Resource or NotResource, so it has no effect (KMS accepts it silently)";
      }
      if (actions.isEmpty()) {
        return "names no KMS action that a key policy can authorize, so it has no effect";
      }
      if (s.isNotResource() ? s.resources().contains("*") : s.resources().isEmpty()) {
        return "matches no resource, so it has no effect";
      }
      for (Condition c : s.conditions()) {
        if (c.values().isEmpty()
            && !c.operator().ifExists()
            && c.operator().qualifier() != ConditionOperator.Qualifier.FOR_ALL_VALUES) {
          return "has the condition "
              + c.operator()
              + " "
              + c.key()
              + " with no values, which never matches, so it has no effect";
        }
      }
      return null;
    }

    boolean grants() {
      return whyIneffective == null && statement.isAllow();
    }

    StatementReason reason(String message) {
      return new StatementReason(index, sid, pointer, message);
    }
  }

  /** The principal a grant goes to, labelled for the table. */
  private static final class Grantee {
    final String label;
    final boolean delegated;
    final boolean nobody;

    Grantee(String label, boolean delegated, boolean nobody) {
      this.label = label;
      this.delegated = delegated;
      this.nobody = nobody;
    }
  }

  private static final class EntryAcc {
    final String label;
    final List<String> conditions;
    final boolean delegated;
    final Set<KmsAction> actions = new TreeSet<>(BY_NAME);
    final Set<StatementReason> reasons = new LinkedHashSet<>();

    EntryAcc(String label, List<String> conditions, boolean delegated) {
      this.label = label;
      this.conditions = List.copyOf(conditions);
      this.delegated = delegated;
    }
  }

  private static final class Acc {
    final Set<KmsAction> actions = new TreeSet<>(BY_NAME);
    final Set<StatementReason> reasons = new LinkedHashSet<>();

    void add(Set<KmsAction> more, StatementReason reason) {
      actions.addAll(more);
      reasons.add(reason);
    }
  }

  /** The caller of the lockout check. */
  private static final class Caller {
    final String arn;
    final AccountId account;
    final Principal.AwsKind kind;
    final @Nullable String roleName;

    private Caller(String arn, AccountId account, Principal.AwsKind kind, @Nullable String role) {
      this.arn = arn;
      this.account = account;
      this.kind = kind;
      this.roleName = role;
    }

    static Caller parse(String arn) {
      Principal.Aws p = Principal.aws(arn);
      switch (p.kind()) {
        case ACCOUNT:
        case ROLE:
        case USER:
        case ASSUMED_ROLE_SESSION:
        case FEDERATED_USER_SESSION:
          break;
        default:
          throw new IllegalArgumentException(
              String.format(
                  "caller [%s] is not a user, role, role session or account root ARN; expected"
                      + " e.g. arn:aws:iam::111122223333:role/Admin",
                  arn));
      }
      String role = null;
      if (p.kind() == Principal.AwsKind.ASSUMED_ROLE_SESSION) {
        String res = p.arn().orElseThrow().resource();
        role = res.substring("assumed-role/".length(), res.indexOf('/', "assumed-role/".length()));
      } else if (p.kind() == Principal.AwsKind.ROLE) {
        String res = p.arn().orElseThrow().resource();
        role = res.substring(res.lastIndexOf('/') + 1);
      }
      return new Caller(
          p.kind() == Principal.AwsKind.ACCOUNT ? p.accountId().orElseThrow().rootArn() : arn,
          p.accountId().orElseThrow(),
          p.kind(),
          role);
    }

    boolean matchesAny(List<Principal> principals) {
      for (Principal p : principals) {
        if (matchesDirectly(p)) {
          return true;
        }
        // In NotPrincipal and Deny, the account also covers its users and roles.
        if (p instanceof Principal.Aws
            && ((Principal.Aws) p).kind() == Principal.AwsKind.ACCOUNT
            && ((Principal.Aws) p).accountId().map(account::equals).orElse(false)) {
          return true;
        }
      }
      return false;
    }

    // IAM "NotPrincipal": an account exempts only its root user, and a session is exempt only
    // when both its session ARN and its role are listed.
    boolean isExemptBy(List<Principal> principals) {
      boolean self = false;
      boolean role = false;
      for (Principal p : principals) {
        if (p.isEveryone() && !(p instanceof Principal.Service)) {
          return true;
        }
        if (!(p instanceof Principal.Aws)) {
          continue;
        }
        Principal.Aws aws = (Principal.Aws) p;
        if (aws.kind() == Principal.AwsKind.ACCOUNT) {
          self |=
              kind == Principal.AwsKind.ACCOUNT
                  && aws.accountId().map(account::equals).orElse(false);
        } else if (aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
          self |= Glob.matches(aws.value(), arn, false);
        } else {
          self |= aws.value().equals(arn);
        }
        // IAM: a session is exempt only when its role ARN is listed too (the session ARN alone
        // matches `self`, not `role`), as the evaluator reads NotPrincipal.
        role |=
            kind == Principal.AwsKind.ASSUMED_ROLE_SESSION
                && aws.kind() == Principal.AwsKind.ROLE
                && matchesDirectly(p);
      }
      return self && (kind != Principal.AwsKind.ASSUMED_ROLE_SESSION || role);
    }

    // A key-policy principal that names this caller itself (not through IAM delegation).
    boolean matchesDirectly(Principal p) {
      if (p.isEveryone() && !(p instanceof Principal.Service)) {
        return true;
      }
      if (!(p instanceof Principal.Aws)) {
        return false;
      }
      Principal.Aws aws = (Principal.Aws) p;
      switch (aws.kind()) {
        case ACCOUNT:
          return kind == Principal.AwsKind.ACCOUNT
              && aws.accountId().map(account::equals).orElse(false);
        case ROLE:
          // A role session matches its role; the session ARN does not carry the role's path.
          if (kind == Principal.AwsKind.ASSUMED_ROLE_SESSION) {
            String res = aws.arn().orElseThrow().resource();
            return aws.accountId().map(account::equals).orElse(false)
                && res.substring(res.lastIndexOf('/') + 1).equals(roleName);
          }
          return aws.value().equals(arn);
        case USER:
        case ASSUMED_ROLE_SESSION:
        case FEDERATED_USER_SESSION:
          return aws.value().equals(arn);
        case PARTIAL_WILDCARD:
          if (Glob.matches(aws.value(), arn, false)) {
            return true;
          }
          // An account-root pattern such as arn:aws:iam::*:root is read as broadly as it could
          // match: every principal of every matching account.
          String[] parts = aws.value().split(":", 6);
          if (parts.length == 6 && parts[2].equals("iam") && parts[5].equals("root")) {
            return Glob.matches(parts[4], account.value(), false);
          }
          return roleName != null
              && kind == Principal.AwsKind.ASSUMED_ROLE_SESSION
              && Glob.matches(
                  aws.value(), "arn:aws:iam::" + account.value() + ":role/" + roleName, false);
        default:
          return false;
      }
    }
  }
}
