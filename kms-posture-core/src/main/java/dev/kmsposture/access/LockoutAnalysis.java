package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The lockout verdicts of {@link AccessAnalysis}: can anyone still change the key policy, and would
 * KMS's lockout safety check let a given caller send it.
 *
 * <p>Both are answered by the evaluator over the whole policy: a principal of the key's account (a
 * named one, or a stand-in for every one the policy does not name) is tried with {@code
 * kms:PutKeyPolicy}, first with the context a caller can be assumed to send (keys it chooses take
 * any value, every other key is present with an unknown value: an Allow that needs it does not
 * count and a Deny on it applies), then with any context. {@code PutKeyPolicy} does not work across
 * accounts, so principals of other accounts never count. Which statements the messages point at is
 * read with the evaluator's own principal matching ({@link CompiledStatement#principalMatch}).
 */
final class LockoutAnalysis {
  private static final List<KmsAction> PUT = List.of(KmsAction.PUT_KEY_POLICY);

  private final AccessTable table;
  final LockoutVerdict verdict;
  final String explanation;
  final List<StatementReason> reasons;
  final @Nullable Witness witness;
  final boolean onlyOtherAccounts;

  LockoutAnalysis(AccessTable table) {
    this.table = table;
    List<StatementReason> lockReasons = new ArrayList<>();
    boolean someone = false;
    boolean deniedToAll = false;
    for (StatementView v : table.views) {
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
                  ReasonCode.DENIES_PUT_KEY_POLICY,
                  "denies kms:PutKeyPolicy to everyone without a condition, so no principal can"
                      + " change the policy"));
        }
        continue;
      }
      for (Grantee g : table.grantees(v)) {
        if (g.kind().isNobody()) {
          lockReasons.add(
              v.reason(
                  ReasonCode.ALLOWS_PUT_KEY_POLICY_TO_NOBODY,
                  "allows kms:PutKeyPolicy only to " + g.label() + ", which no caller can act as"));
        } else {
          someone = true;
          lockReasons.add(
              v.reason(
                  ReasonCode.ALLOWS_PUT_KEY_POLICY, "allows kms:PutKeyPolicy to " + g.label()));
        }
      }
    }
    boolean statementRisk = deniedToAll || !someone;
    String statementExplanation;
    if (deniedToAll) {
      statementExplanation =
          "A Deny statement takes kms:PutKeyPolicy from everyone: nobody can change the policy.";
    } else if (!someone) {
      statementExplanation =
          lockReasons.isEmpty()
              ? "No statement allows kms:PutKeyPolicy: nobody can change the policy, and AWS"
                  + " Support would have to restore access."
              : "Only deleted or unrecognized principals are allowed kms:PutKeyPolicy: nobody can"
                  + " change the policy.";
    } else {
      statementExplanation =
          "At least one principal (or the account, through IAM) is allowed kms:PutKeyPolicy.";
    }

    String account = table.keyAccount.value();
    List<Caller> local = table.callers(c -> c.isIn(account) && !c.boundary());
    AccessSearch.Result plain =
        table.search.find(local, PUT, AccessSearch.ContextChoice.assumable(), AccessSearch::grants);
    AccessSearch.Result any =
        plain.found()
            ? plain
            : table.search.find(
                local, PUT, AccessSearch.ContextChoice.free(), AccessSearch::grants);
    boolean allowsOnlyOthers = false;
    if (plain.found()) {
      this.verdict = LockoutVerdict.NOT_LOCKED_OUT;
      this.witness = plain.witness();
      this.explanation =
          statementRisk
              ? "A principal of account "
                  + account
                  + " can call kms:PutKeyPolicy: "
                  + AccessTable.witnessText(plain.witness())
              : statementExplanation;
    } else if (any.found()) {
      this.verdict = LockoutVerdict.LOCKED_OUT_UNLESS;
      this.witness = any.witness();
      this.explanation =
          "No principal of account "
              + account
              + " can call kms:PutKeyPolicy with a request it can be assumed to send; one can only"
              + " when the request carries context it does not choose: "
              + AccessTable.witnessText(any.witness());
    } else if (any.undecided()) {
      this.verdict = LockoutVerdict.POSSIBLY_LOCKED_OUT;
      this.witness = null;
      this.explanation =
          "Whether a principal of account "
              + account
              + " can still call kms:PutKeyPolicy cannot be told: "
              + any.whyUndecided();
    } else {
      this.verdict = LockoutVerdict.LOCKED_OUT;
      this.witness = null;
      List<StatementView> denies = denying(local);
      allowsOnlyOthers = denies.isEmpty() && allowsOnlyOtherAccounts(local);
      if (statementRisk) {
        this.explanation = statementExplanation;
      } else if (!denies.isEmpty()) {
        List<String> names = new ArrayList<>();
        for (StatementView d : denies) {
          names.add(d.name());
          lockReasons.add(
              d.reason(
                  ReasonCode.DENIES_PUT_KEY_POLICY,
                  "denies kms:PutKeyPolicy to "
                      + AccessTable.describePrincipals(d.statement)
                      + ", which covers every principal of account "
                      + account
                      + " that an Allow gives it to"));
        }
        this.explanation =
            "Every principal of account "
                + account
                + " that an Allow gives kms:PutKeyPolicy is denied it by "
                + String.join(" and ", names)
                + ": nobody can change the policy.";
      } else if (allowsOnlyOthers) {
        this.explanation =
            "Only principals in other accounts are allowed kms:PutKeyPolicy, which does not work"
                + " across accounts: nobody can change the policy.";
      } else {
        this.explanation =
            "No request of a principal of account "
                + account
                + " for kms:PutKeyPolicy meets an Allow statement's conditions and Resource:"
                + " nobody can change the policy.";
      }
    }
    this.onlyOtherAccounts = allowsOnlyOthers;
    if (allowsOnlyOthers) {
      List<StatementReason> marked = new ArrayList<>();
      for (StatementReason r : lockReasons) {
        marked.add(
            r.code() == ReasonCode.ALLOWS_PUT_KEY_POLICY
                ? r.with(ReasonCode.ALLOWS_PUT_KEY_POLICY_ONLY_ACROSS_ACCOUNTS, r.message())
                : r);
      }
      lockReasons = marked;
    }
    this.reasons = List.copyOf(lockReasons);
  }

  // The Deny statements that refuse kms:PutKeyPolicy to the key account's principals that an
  // Allow names, in a request without context.
  private List<StatementView> denying(List<Caller> local) {
    Set<Integer> found = new LinkedHashSet<>();
    KeyAccessEvaluator evaluator = table.search.evaluator();
    for (Caller c : local) {
      AccessRequest r = table.search.probe(c, KmsAction.PUT_KEY_POLICY);
      Decision d = evaluator.evaluate(r);
      if (d.outcome() != Decision.Outcome.EXPLICITLY_DENIED || !anAllowNames(r)) {
        continue;
      }
      for (StatementRef ref : d.statements()) {
        ref.keyPolicyIndex().ifPresent(found::add);
      }
    }
    List<StatementView> out = new ArrayList<>();
    for (int i : found) {
      out.add(table.view(i));
    }
    return out;
  }

  // Whether an Allow of kms:PutKeyPolicy names the caller (its conditions aside).
  private boolean anAllowNames(AccessRequest r) {
    KeyAccessEvaluator evaluator = table.search.evaluator();
    for (int i = 0; i < evaluator.statementCount(); i++) {
      CompiledStatement s = evaluator.compiled(i);
      if (s.allow
          && evaluator.appliesToActionAndKey(i, r)
          && s.principalMatch(r) != PrincipalPattern.NONE) {
        return true;
      }
    }
    return false;
  }

  // Whether the Allows of kms:PutKeyPolicy name principals of other accounts but none of the key's.
  private boolean allowsOnlyOtherAccounts(List<Caller> local) {
    for (Caller c : local) {
      if (anAllowNames(table.search.probe(c, KmsAction.PUT_KEY_POLICY))) {
        return false;
      }
    }
    for (Caller c : table.callers(c -> c.account() != null && !c.isIn(table.keyAccount.value()))) {
      if (anAllowNames(table.search.probe(c, KmsAction.PUT_KEY_POLICY))) {
        return true;
      }
    }
    return false;
  }

  /** KMS's lockout safety check for one caller. */
  LockoutCheck canPutKeyPolicy(String callerArn) {
    Principal.Aws p = Principal.aws(callerArn);
    switch (p.kind()) {
      case ACCOUNT, ROLE, USER, ASSUMED_ROLE_SESSION, FEDERATED_USER_SESSION -> {}
      default ->
          throw new IllegalArgumentException(
              String.format(
                  "caller [%s] is not a user, role, role session or account root ARN; expected"
                      + " e.g. arn:aws:iam::111122223333:role/Admin",
                  callerArn));
    }
    AccountId account = p.accountId().orElseThrow();
    if (!account.equals(table.keyAccount)) {
      return new LockoutCheck(
          LockoutCheck.Verdict.FAILS,
          String.format(
              "the caller [%s] is in account %s, not the key's account %s; kms:PutKeyPolicy does"
                  + " not work across accounts",
              callerArn, account, table.keyAccount),
          List.of(),
          null);
    }
    Caller caller = callerOf(p, callerArn, account);
    LockoutCheck check = check(caller, account);
    if (check.verdict() != LockoutCheck.Verdict.FAILS || p.kind() != Principal.AwsKind.ROLE) {
      return check;
    }
    // A role calls as one of its sessions, and the session's name is not known: when the policy
    // names sessions of the role and one of them is allowed, the check depends on the name.
    String roleName = callerArn.substring(callerArn.lastIndexOf('/') + 1);
    String prefix =
        "arn:" + p.arn().orElseThrow().partition() + ":sts::" + account.value() + ":assumed-role/";
    List<Caller> sessions = new ArrayList<>();
    for (Caller c : table.search.space().callers) {
      if (c.kind() == AccessRequest.CallerKind.SESSION
          && c.principal().startsWith(prefix + roleName + "/")
          && !c.principal().endsWith("/" + RequestSpace.PROBE)) {
        sessions.add(c);
      }
    }
    if (sessions.isEmpty()) {
      return check;
    }
    AccessSearch.Result named =
        table.search.find(sessions, PUT, AccessSearch.ContextChoice.free(), AccessSearch::grants);
    if (!named.found()) {
      return check;
    }
    return new LockoutCheck(
        LockoutCheck.Verdict.POSSIBLY_FAILS,
        "the check depends on the name of the caller's role session: "
            + check.explanation()
            + " for a session the policy does not name, but a session it names is allowed ("
            + AccessTable.witnessText(Objects.requireNonNull(named.witness()))
            + ")",
        check.reasons(),
        null);
  }

  private LockoutCheck check(Caller caller, AccountId account) {
    AccessRequest probe = table.search.probe(caller, KmsAction.PUT_KEY_POLICY);
    List<StatementReason> direct = new ArrayList<>();
    List<StatementReason> delegated = new ArrayList<>();
    KeyAccessEvaluator evaluator = table.search.evaluator();
    for (StatementView v : table.views) {
      if (v.whyIneffective != null
          || !v.statement.isAllow()
          || !v.actions.contains(KmsAction.PUT_KEY_POLICY)) {
        continue;
      }
      CompiledStatement s = evaluator.compiled(v.index);
      String conds =
          v.statement.conditions().isEmpty() ? "" : " (its conditions are read as possibly met)";
      if (v.statement.isNotPrincipal()) {
        if (s.principalMatch(probe) != PrincipalPattern.NONE) {
          direct.add(
              v.reason(
                  ReasonCode.ALLOWS_CALLER,
                  "allows kms:PutKeyPolicy to everyone not in its NotPrincipal, which includes the"
                      + " caller"
                      + conds));
        }
        continue;
      }
      for (Principal principal : v.statement.principals()) {
        int match = PrincipalPattern.of(principal).match(probe);
        if (match == PrincipalPattern.DIRECT) {
          direct.add(
              v.reason(
                  ReasonCode.ALLOWS_CALLER,
                  "allows kms:PutKeyPolicy to " + principal.value() + conds));
        } else if (match == PrincipalPattern.ACCOUNT) {
          delegated.add(
              v.reason(
                  ReasonCode.ALLOWS_CALLER_ACCOUNT,
                  "allows kms:PutKeyPolicy to account "
                      + account
                      + ", delegating to its IAM policies"
                      + conds));
        }
      }
    }
    AccessSearch.Result plain =
        table.search.findForCaller(
            caller, PUT, AccessSearch.ContextChoice.assumable(), AccessSearch::grants);
    AccessSearch.Result any =
        plain.found()
            ? plain
            : table.search.findForCaller(
                caller, PUT, AccessSearch.ContextChoice.free(), AccessSearch::grants);
    if (plain.found()) {
      Witness w = Objects.requireNonNull(plain.witness());
      if (w.decision().isAllowed()) {
        return new LockoutCheck(
            LockoutCheck.Verdict.PASSES,
            "the policy allows the caller kms:PutKeyPolicy directly, so KMS's lockout safety check"
                + " passes",
            direct.isEmpty() ? delegated : direct,
            w);
      }
      return new LockoutCheck(
          LockoutCheck.Verdict.PASSES,
          "the policy allows kms:PutKeyPolicy to the caller's account, so IAM policies decide and"
              + " KMS's lockout safety check passes; the caller still needs an IAM policy that"
              + " allows kms:PutKeyPolicy to change the policy later",
          delegated.isEmpty() ? direct : delegated,
          w);
    }
    if (any.found()) {
      Witness w = Objects.requireNonNull(any.witness());
      List<StatementReason> rs = new ArrayList<>(direct);
      rs.addAll(delegated);
      return new LockoutCheck(
          LockoutCheck.Verdict.PASSES_WITH_CONTEXT,
          "the policy allows the caller kms:PutKeyPolicy only when its request carries context it"
              + " does not choose, so KMS's lockout safety check passes only for such a request: "
              + AccessTable.witnessText(w),
          rs,
          w);
    }
    boolean noAllowNamesCaller = direct.isEmpty() && delegated.isEmpty();
    // Without an Allow of kms:PutKeyPolicy whose principal element matches the caller, the
    // evaluator allows no request of it, whatever the context: exact even where the representative
    // requests do not cover every request.
    if (any.undecided() && !noAllowNamesCaller) {
      return new LockoutCheck(
          LockoutCheck.Verdict.POSSIBLY_FAILS,
          "whether the policy allows the caller kms:PutKeyPolicy cannot be told, so KMS may refuse"
              + " the policy: "
              + any.whyUndecided(),
          List.of(),
          null);
    }
    Decision d = evaluator.evaluate(probe);
    if (d.outcome() == Decision.Outcome.EXPLICITLY_DENIED && !any.undecided()) {
      for (StatementRef ref : d.statements()) {
        OptionalInt at = ref.keyPolicyIndex();
        if (at.isEmpty()) {
          continue;
        }
        StatementView deny = table.view(at.getAsInt());
        if (deny.statement.conditions().isEmpty() && !deny.statement.isNotPrincipal()) {
          return new LockoutCheck(
              LockoutCheck.Verdict.FAILS,
              "an unconditional Deny of kms:PutKeyPolicy names the caller, so KMS would refuse the"
                  + " policy",
              List.of(
                  deny.reason(
                      ReasonCode.DENIES_CALLER,
                      "denies kms:PutKeyPolicy to the caller without a condition")),
              null);
        }
        return new LockoutCheck(
            LockoutCheck.Verdict.FAILS,
            deny.name()
                + " denies kms:PutKeyPolicy to the caller in every request it could send, so KMS"
                + " would refuse the policy",
            List.of(
                deny.reason(
                    ReasonCode.DENIES_CALLER,
                    "denies kms:PutKeyPolicy to the caller: " + d.explanation())),
            null);
      }
    }
    if (noAllowNamesCaller) {
      return new LockoutCheck(
          LockoutCheck.Verdict.FAILS,
          "no Allow statement gives kms:PutKeyPolicy to the caller, its role or its account, so KMS"
              + " would refuse the policy (The new key policy will not allow you to update the key"
              + " policy in the future)",
          List.of(),
          null);
    }
    List<StatementReason> rs = new ArrayList<>(direct);
    rs.addAll(delegated);
    return new LockoutCheck(
        LockoutCheck.Verdict.FAILS,
        "the Allow statements that name the caller never let it call kms:PutKeyPolicy (a Deny"
            + " refuses it, or their conditions or Resource never hold), so KMS would refuse the"
            + " policy",
        rs,
        null);
  }

  // The caller as the search tries it: a session's role path is taken from a role of the same
  // name that the policy names (a session ARN does not carry it), or else "/".
  private Caller callerOf(Principal.Aws p, String arn, AccountId account) {
    String principal = p.kind() == Principal.AwsKind.ACCOUNT ? account.rootArn() : arn;
    AccessRequest.CallerKind kind =
        switch (p.kind()) {
          case ACCOUNT -> AccessRequest.CallerKind.ROOT;
          case ROLE -> AccessRequest.CallerKind.ROLE;
          case USER -> AccessRequest.CallerKind.USER;
          case ASSUMED_ROLE_SESSION -> AccessRequest.CallerKind.SESSION;
          default -> AccessRequest.CallerKind.FEDERATED;
        };
    String path = null;
    if (kind == AccessRequest.CallerKind.SESSION) {
      String res = p.arn().orElseThrow().resource();
      String role = res.substring("assumed-role/".length(), res.indexOf('/', 13));
      path = "/";
      for (Caller c : table.search.space().callers) {
        if (c.kind() == AccessRequest.CallerKind.ROLE
            && c.isIn(account.value())
            && c.principal().endsWith("/" + role)) {
          String r = c.principal().substring(c.principal().indexOf(":role") + 5);
          path = r.substring(0, r.lastIndexOf('/') + 1);
          break;
        }
      }
    }
    return new Caller(principal, path, false, account.value(), kind, true);
  }
}
