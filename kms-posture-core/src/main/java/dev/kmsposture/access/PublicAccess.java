package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The public verdict of {@link AccessAnalysis}: can a principal of an account the policy does not
 * name use the key?
 *
 * <p>Only the operations another account can call count ({@link
 * AccessTable#CROSS_ACCOUNT_AUTHORIZABLE}; the evaluator refuses the others to callers of another
 * account). An Allow that reaches such principals by its principal element but lists only
 * operations of the key's own account (such as {@code kms:PutKeyPolicy}) is not public; when it
 * lets every principal of the key's account the policy does not name call them, whatever that
 * principal's IAM policies say, it is reported as {@link ReasonCode#ACCOUNT_WIDE} instead.
 *
 * <p>Derived from the evaluator over the whole policy. For each Allow statement whose principal
 * element can match such a principal (everyone, a pattern, a {@code NotPrincipal}, a service
 * wildcard), the search asks whether a request by one (with an organization, network and source the
 * policy does not name, and any other request context) is allowed by that statement together with
 * every Deny statement. A request found makes the statement public; no request found with complete
 * representatives makes it not public; otherwise it is possibly public. The statement's conditions
 * are then described ({@link ConditionScope}) to say why, with the request that proves it.
 */
final class PublicAccess {
  final PublicVerdict verdict;
  final List<StatementReason> publicStatements;
  final List<StatementReason> reasons;
  final List<StatementReason> accountWide;
  final @Nullable Witness witness;

  PublicAccess(AccessTable table) {
    List<StatementReason> pub = new ArrayList<>();
    List<StatementReason> all = new ArrayList<>();
    List<StatementReason> wide = new ArrayList<>();
    List<Caller> outsiders = table.callers(table::isOutsider);
    List<KmsAction> actions = table.actionClasses(AccessTable.CROSS_ACCOUNT_AUTHORIZABLE);
    boolean found = false;
    boolean possibly = false;
    boolean network = false;
    Witness first = null;
    for (StatementView view : table.views) {
      if (!view.grants() || !reachesOutsiders(table, view, outsiders)) {
        continue;
      }
      String who =
          AccessTable.wildcardDescription(view.statement)
              .orElse(AccessTable.describePrincipals(view.statement));
      String allows = "allows " + AccessTable.summarize(view.actions) + " to " + who;
      if (view.actions.stream().noneMatch(KmsAction::isCrossAccount)) {
        StatementReason r = sameAccountOnly(table, view, allows);
        all.add(r);
        if (r.code() == ReasonCode.ACCOUNT_WIDE) {
          wide.add(r);
        }
        continue;
      }
      ConditionScope scope = table.scopeOf(view);
      AccessSearch.Result strict =
          table.search.find(
              outsiders,
              actions,
              AccessSearch.ContextChoice.outsider(false),
              AccessSearch::grants,
              table.only(view.index));
      if (strict.found()) {
        found = true;
        if (first == null) {
          first = strict.witness();
        }
        StatementReason r = view.reason(ReasonCode.PUBLIC, publicMessage(allows, scope, strict));
        all.add(r);
        pub.add(r);
        continue;
      }
      if (strict.undecided()) {
        possibly = true;
        StatementReason r =
            view.reason(
                ReasonCode.POSSIBLY_PUBLIC,
                allows
                    + "; whether it lets in principals of accounts the policy does not name cannot"
                    + " be told: "
                    + strict.whyUndecided());
        all.add(r);
        pub.add(r);
        continue;
      }
      AccessSearch.Result fromNetwork =
          table.search.find(
              outsiders,
              actions,
              AccessSearch.ContextChoice.outsider(true),
              AccessSearch::grants,
              table.only(view.index));
      if (fromNetwork.found()) {
        network = true;
        all.add(
            view.reason(
                ReasonCode.NARROWED_TO_NETWORK,
                scope.kind() == ConditionScope.Kind.NETWORK
                    ? allows
                        + ", but "
                        + String.join(" and ", scope.narrowing())
                        + " narrows the caller to a network origin; which accounts can call is"
                        + " unknown"
                    : allows
                        + ", but only from a network origin the policy names; which accounts can"
                        + " call from it is unknown (for example: "
                        + AccessTable.witnessText(fromNetwork.witness())
                        + ")"));
        continue;
      }
      all.add(
          view.reason(
              ReasonCode.NARROWED_TO_ACCOUNTS,
              scope.kind() == ConditionScope.Kind.ACCOUNTS
                  ? allows
                      + ", but "
                      + String.join(" and ", scope.narrowing())
                      + " narrows the caller to known accounts or an organization"
                  : allows
                      + ", but no principal of an account the policy does not name is allowed by"
                      + " it: its conditions, its Resource or a Deny statement keep them out"));
    }
    this.verdict =
        found
            ? PublicVerdict.PUBLIC
            : possibly
                ? PublicVerdict.POSSIBLY_PUBLIC
                : network ? PublicVerdict.NOT_PUBLIC_ACCOUNTS_UNKNOWN : PublicVerdict.NOT_PUBLIC;
    this.publicStatements = List.copyOf(pub);
    this.reasons = List.copyOf(all);
    this.accountWide = List.copyOf(wide);
    this.witness = first;
  }

  // An Allow whose actions no other account can call: not public; account-wide when an unnamed
  // principal of the key's account is allowed one of them without its IAM policies.
  private static StatementReason sameAccountOnly(
      AccessTable table, StatementView view, String allows) {
    String keyAccount = table.keyAccount.value();
    AccessSearch.Result inAccount =
        table.search.find(
            table.callers(c -> c.isIn(keyAccount) && !c.named()),
            table.actionClasses(view.actions),
            AccessSearch.ContextChoice.fromAccount(
                keyAccount, java.util.Set.of(), table.search.space().namedAccounts),
            Decision::isAllowed,
            table.only(view.index));
    String notCross =
        allows
            + ", but no principal of another account can call these operations (they are not"
            + " cross-account operations)";
    if (inAccount.found()) {
      return view.reason(
          ReasonCode.ACCOUNT_WIDE,
          notCross
              + "; every principal of the key's account can, whatever its IAM policies say: "
              + AccessTable.witnessText(inAccount.witness()));
    }
    return view.reason(ReasonCode.NARROWED_TO_ACCOUNTS, notCross);
  }

  Optional<Witness> witness() {
    return Optional.ofNullable(witness);
  }

  // Whether the statement's principal element can match a caller of no named account.
  private static boolean reachesOutsiders(
      AccessTable table, StatementView view, List<Caller> outsiders) {
    CompiledStatement s = table.search.evaluator().compiled(view.index);
    for (Caller c : outsiders) {
      AccessRequest probe = table.search.probe(c, KmsAction.DESCRIBE_KEY);
      if (s.principalMatch(probe) != PrincipalPattern.NONE) {
        return true;
      }
    }
    return false;
  }

  // The old wording when the statement's own reading already says "public"; otherwise what the
  // evaluator found, with the request.
  private static String publicMessage(
      String allows, ConditionScope scope, AccessSearch.Result result) {
    if (scope.kind() == ConditionScope.Kind.NONE) {
      String why =
          scope.notNarrowing().isEmpty()
              ? "; it has no condition"
              : ": " + String.join("; ", scope.notNarrowing());
      return allows
          + " and no condition narrows the caller to known accounts, an organization or a network"
          + why;
    }
    return allows
        + ", and although "
        + String.join(" and ", scope.narrowing())
        + " looks like it narrows the caller, it does not keep out principals of accounts the"
        + " policy does not name: "
        + AccessTable.witnessText(result.witness());
  }
}
