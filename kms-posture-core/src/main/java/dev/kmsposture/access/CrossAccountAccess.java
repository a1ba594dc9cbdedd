package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cross-account verdict of {@link AccessAnalysis}: which principals and accounts outside the
 * key's account an Allow reaches.
 */
final class CrossAccountAccess {
  final List<String> principals;
  final List<AccountId> externalAccounts;
  final List<StatementReason> reasons;

  CrossAccountAccess(AccessTable table) {
    Set<String> xPrincipals = new TreeSet<>();
    Set<AccountId> xAccounts = new TreeSet<>();
    List<StatementReason> xReasons = new ArrayList<>();
    for (StatementView v : table.views) {
      if (v.grants()) {
        reach(table, v, xPrincipals, xAccounts, xReasons);
      }
    }
    this.principals = List.copyOf(xPrincipals);
    this.externalAccounts = List.copyOf(xAccounts);
    this.reasons = List.copyOf(xReasons);
  }

  private static void reach(
      AccessTable table,
      StatementView v,
      Set<String> principals,
      Set<AccountId> accounts,
      List<StatementReason> reasons) {
    AccountId keyAccount = table.keyAccount;
    Statement s = v.statement;
    String acts = AccessTable.summarize(v.actions);
    Optional<String> wildcard = AccessTable.wildcardDescription(s);
    if (wildcard.isPresent()) {
      ConditionScope scope = table.scopeOf(v);
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
                      + keyAccount));
        }
      } else {
        boolean none = scope.kind() == ConditionScope.Kind.NONE;
        principals.add(
            none ? "anyone" : "anyone matching " + String.join(" and ", scope.narrowing()));
        reasons.add(
            v.reason(
                none ? ReasonCode.WILDCARD_ANY_ACCOUNT : ReasonCode.WILDCARD_NOT_PINNED,
                "allows "
                    + acts
                    + " to "
                    + wildcard.get()
                    + (none
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
      if (!(p instanceof Principal.Aws aws)) {
        continue;
      }
      Optional<AccountId> account = aws.accountId();
      if (aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
        account = AccessTable.pinnedAccount(aws);
      }
      if (account.isPresent() && !account.get().equals(keyAccount)) {
        accounts.add(account.get());
        principals.add(aws.value());
        reasons.add(
            v.reason(
                ReasonCode.NAMES_OTHER_ACCOUNT,
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
}
