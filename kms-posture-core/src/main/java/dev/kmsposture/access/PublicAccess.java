package dev.kmsposture.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The public verdict of {@link AccessAnalysis}: can principals of unknown accounts use the key? */
final class PublicAccess {
  final PublicVerdict verdict;
  final List<StatementReason> publicStatements;
  final List<StatementReason> reasons;

  PublicAccess(AccessTable table) {
    List<StatementReason> pub = new ArrayList<>();
    List<StatementReason> all = new ArrayList<>();
    PublicVerdict v = PublicVerdict.NOT_PUBLIC;
    for (StatementView view : table.views) {
      if (!view.grants()) {
        continue;
      }
      Optional<String> who = AccessTable.wildcardDescription(view.statement);
      if (who.isEmpty()) {
        continue;
      }
      ConditionScope scope = table.scopeOf(view);
      String allows = "allows " + AccessTable.summarize(view.actions) + " to " + who.get();
      switch (scope.kind()) {
        case ACCOUNTS ->
            all.add(
                view.reason(
                    ReasonCode.NARROWED_TO_ACCOUNTS,
                    allows
                        + ", but "
                        + String.join(" and ", scope.narrowing())
                        + " narrows the caller to known accounts or an organization"));
        case NETWORK -> {
          all.add(
              view.reason(
                  ReasonCode.NARROWED_TO_NETWORK,
                  allows
                      + ", but "
                      + String.join(" and ", scope.narrowing())
                      + " narrows the caller to a network origin; which accounts can call is"
                      + " unknown"));
          if (v == PublicVerdict.NOT_PUBLIC) {
            v = PublicVerdict.NOT_PUBLIC_ACCOUNTS_UNKNOWN;
          }
        }
        default -> {
          String why =
              scope.notNarrowing().isEmpty()
                  ? "; it has no condition"
                  : ": " + String.join("; ", scope.notNarrowing());
          StatementReason r =
              view.reason(
                  ReasonCode.PUBLIC,
                  allows
                      + " and no condition narrows the caller to known accounts, an organization"
                      + " or a network"
                      + why);
          all.add(r);
          pub.add(r);
          v = PublicVerdict.PUBLIC;
        }
      }
    }
    this.verdict = v;
    this.publicStatements = List.copyOf(pub);
    this.reasons = List.copyOf(all);
  }
}
