package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cross-account verdict of {@link AccessAnalysis}: which accounts other than the key's an Allow
 * lets in, and whether it lets in accounts the policy does not name.
 *
 * <p>Derived from the evaluator over the whole policy: for each Allow statement (together with
 * every Deny), the search asks whether a principal of each account the policy names, and of an
 * account it does not name (in any organization, from any network), is allowed some action. The
 * statement's principals and conditions are described ({@link ConditionScope}) to say how.
 */
final class CrossAccountAccess {
  final List<String> principals;
  final List<AccountId> externalAccounts;
  final List<StatementReason> reasons;
  final Map<AccountId, List<StatementReason>> reasonsByAccount;

  private final AccessTable table;
  private final List<KmsAction> actions;

  CrossAccountAccess(AccessTable table, Set<Integer> publicStatements) {
    this.table = table;
    this.actions = table.actionClasses(AccessTable.CROSS_ACCOUNT_AUTHORIZABLE);
    Set<String> xPrincipals = new TreeSet<>();
    Set<AccountId> xAccounts = new TreeSet<>();
    List<StatementReason> xReasons = new ArrayList<>();
    Map<AccountId, List<StatementReason>> byAccount = new TreeMap<>();
    for (StatementView v : table.views) {
      if (v.grants()) {
        reach(v, publicStatements.contains(v.index), xPrincipals, xAccounts, xReasons, byAccount);
      }
    }
    this.principals = List.copyOf(xPrincipals);
    this.externalAccounts = List.copyOf(xAccounts);
    this.reasons = List.copyOf(xReasons);
    Map<AccountId, List<StatementReason>> frozen = new TreeMap<>();
    byAccount.forEach((k, l) -> frozen.put(k, List.copyOf(l)));
    this.reasonsByAccount = Collections.unmodifiableMap(frozen);
  }

  /** Is a principal of {@code account}, not in an excluded organization, allowed anything? */
  AccessAnswer fromAccount(AccountId account, Collection<String> excludedOrgs, int statement) {
    RequestSpace space = table.search.space();
    List<Caller> callers = table.callers(c -> c.isIn(account.value()));
    return AccessAnswer.of(
        table.search.find(
            callers,
            actions,
            AccessSearch.ContextChoice.fromAccount(
                account.value(), lowerCase(excludedOrgs), space.namedAccounts),
            AccessSearch::grants,
            statement < 0 ? null : table.only(statement)));
  }

  /**
   * Is a principal of an account the policy does not name (in any organization but the excluded
   * ones, from any network) allowed anything?
   */
  AccessAnswer fromUnnamedAccounts(Collection<String> excludedOrgs, int statement) {
    RequestSpace space = table.search.space();
    List<Caller> callers =
        table.callers(
            c ->
                c.isIn(space.freshAccount)
                    || (c.kind() == AccessRequest.CallerKind.SERVICE && !c.named()));
    return AccessAnswer.of(
        table.search.find(
            callers,
            actions,
            AccessSearch.ContextChoice.fromAccount(
                space.freshAccount, lowerCase(excludedOrgs), space.namedAccounts),
            AccessSearch::grants,
            statement < 0 ? null : table.only(statement)));
  }

  private static Set<String> lowerCase(Collection<String> orgs) {
    Set<String> out = new TreeSet<>();
    for (String o : orgs) {
      out.add(o.toLowerCase(java.util.Locale.ROOT));
    }
    return out;
  }

  private void reach(
      StatementView v,
      boolean isPublic,
      Set<String> principals,
      Set<AccountId> accounts,
      List<StatementReason> reasons,
      Map<AccountId, List<StatementReason>> byAccount) {
    AccountId keyAccount = table.keyAccount;
    Statement s = v.statement;
    String acts = AccessTable.summarize(v.actions);
    String who = AccessTable.wildcardDescription(s).orElse(AccessTable.describePrincipals(s));
    ConditionScope scope = null;
    Optional<String> wildcard = AccessTable.wildcardDescription(s);

    // Accounts the policy does not name.
    AccessAnswer unnamed = fromUnnamedAccounts(List.of(), v.index);
    if (unnamed.isYes()) {
      scope = table.scopeOf(v);
      boolean none = scope.kind() == ConditionScope.Kind.NONE;
      boolean oldWording = wildcard.isPresent() && none == isPublic && !pinnedToOthers(scope);
      ReasonCode code = isPublic ? ReasonCode.WILDCARD_ANY_ACCOUNT : ReasonCode.WILDCARD_NOT_PINNED;
      if (oldWording) {
        principals.add(
            none ? "anyone" : "anyone matching " + String.join(" and ", scope.narrowing()));
        reasons.add(
            v.reason(
                code,
                "allows "
                    + acts
                    + " to "
                    + wildcard.get()
                    + (none
                        ? ", in any account"
                        : ", and "
                            + String.join(" and ", scope.narrowing())
                            + " does not pin the caller to the key's account")));
      } else {
        principals.add("anyone matching " + v.name());
        reasons.add(
            v.reason(
                code,
                "allows "
                    + acts
                    + " to "
                    + who
                    + ", which lets in principals of accounts the policy does not name: "
                    + AccessTable.witnessText(unnamed.witness())));
      }
    } else if (unnamed.answer() == AccessAnswer.Answer.POSSIBLY) {
      principals.add("possibly anyone matching " + v.name());
      reasons.add(
          v.reason(
              ReasonCode.POSSIBLY_REACHES_OTHER_ACCOUNT,
              "allows "
                  + acts
                  + " to "
                  + who
                  + "; whether it lets in principals of accounts the policy does not name cannot"
                  + " be told: "
                  + unnamed.why()));
    }

    // Accounts the policy names.
    Set<AccountId> reached = new TreeSet<>();
    Map<AccountId, AccessAnswer> answers = new TreeMap<>();
    for (String a : table.search.space().namedAccounts) {
      AccountId account = AccountId.of(a);
      if (account.equals(keyAccount)) {
        continue;
      }
      AccessAnswer answer = fromAccount(account, List.of(), v.index);
      answers.put(account, answer);
      if (answer.isYes()) {
        reached.add(account);
      }
    }
    Set<AccountId> covered = new TreeSet<>();
    if (wildcard.isPresent()) {
      if (scope == null) {
        scope = table.scopeOf(v);
      }
      Optional<Set<AccountId>> pinned =
          scope.kind() == ConditionScope.Kind.ACCOUNTS ? scope.accounts() : Optional.empty();
      if (pinned.isPresent()) {
        Set<AccountId> others = new TreeSet<>(pinned.get());
        others.remove(keyAccount);
        others.retainAll(reached);
        if (!others.isEmpty()) {
          StatementReason r =
              v.reason(
                  ReasonCode.WILDCARD_PINNED_TO_OTHER_ACCOUNTS,
                  "allows "
                      + acts
                      + " to "
                      + wildcard.get()
                      + " in account(s) "
                      + others
                      + " (by "
                      + String.join(" and ", scope.narrowing())
                      + "), not the key's account "
                      + keyAccount);
          reasons.add(r);
          for (AccountId a : others) {
            principals.add("anyone in account " + a);
            byAccount.computeIfAbsent(a, k -> new ArrayList<>()).add(r);
            covered.add(a);
          }
        }
      }
    }
    if (!s.isNotPrincipal()) {
      for (Principal p : s.principals()) {
        if (!(p instanceof Principal.Aws aws)) {
          continue;
        }
        Optional<AccountId> account = aws.accountId();
        if (aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
          account = AccessTable.pinnedAccount(aws);
        }
        if (account.isPresent() && reached.contains(account.get())) {
          StatementReason r =
              v.reason(
                  ReasonCode.NAMES_OTHER_ACCOUNT,
                  "allows "
                      + acts
                      + " to "
                      + aws.value()
                      + " in account "
                      + account.get()
                      + ", not the key's account "
                      + keyAccount);
          reasons.add(r);
          principals.add(aws.value());
          byAccount.computeIfAbsent(account.get(), k -> new ArrayList<>()).add(r);
          covered.add(account.get());
        }
      }
    }
    for (Map.Entry<AccountId, AccessAnswer> e : answers.entrySet()) {
      AccountId a = e.getKey();
      AccessAnswer answer = e.getValue();
      if (answer.isYes() && !covered.contains(a)) {
        StatementReason r =
            v.reason(
                ReasonCode.REACHES_OTHER_ACCOUNT,
                "allows "
                    + acts
                    + " to "
                    + who
                    + ", which lets in principals of account "
                    + a
                    + ", not the key's account "
                    + keyAccount
                    + ": "
                    + AccessTable.witnessText(answer.witness()));
        reasons.add(r);
        principals.add("principals of account " + a);
        byAccount.computeIfAbsent(a, k -> new ArrayList<>()).add(r);
      } else if (answer.answer() == AccessAnswer.Answer.POSSIBLY) {
        StatementReason r =
            v.reason(
                ReasonCode.POSSIBLY_REACHES_OTHER_ACCOUNT,
                "allows "
                    + acts
                    + " to "
                    + who
                    + "; whether it lets in principals of account "
                    + a
                    + " cannot be told: "
                    + answer.why());
        reasons.add(r);
        principals.add("possibly principals of account " + a);
        byAccount.computeIfAbsent(a, k -> new ArrayList<>()).add(r);
        reached.add(a);
      }
    }
    accounts.addAll(reached);
  }

  private static boolean pinnedToOthers(ConditionScope scope) {
    return scope.kind() == ConditionScope.Kind.ACCOUNTS && scope.accounts().isPresent();
  }
}
