package dev.kmsposture.access;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shared reading of one key policy that every verdict of {@link AccessAnalysis} works from: the
 * statements with their expanded actions, which of them have no effect, the Deny guards, who each
 * Allow names ({@link Grantee}), and the "who can do what" rows.
 */
final class AccessTable {

  static final Comparator<KmsAction> BY_NAME = Comparator.comparing(KmsAction::name);

  /** The catalog actions a key policy can authorize, sorted by name. */
  static final Set<KmsAction> AUTHORIZABLE = authorizable();

  /**
   * The authorizable actions a principal of another account can call ({@link
   * KmsAction#isCrossAccount()}, the flag the evaluator refuses the others across accounts by): the
   * only ones the public and cross-account verdicts count. AWS KMS API reference, per operation:
   * "Cross-account use: Yes/No".
   */
  static final Set<KmsAction> CROSS_ACCOUNT_AUTHORIZABLE = crossAccountAuthorizable();

  private static final Pattern PINNED_PRINCIPAL =
      Pattern.compile("arn:[a-z-]+:(iam|sts)::[0-9]{12}:.*");

  final KeyPolicy policy;
  final AccountId keyAccount;
  final String keyArn;
  final AccessSearch search;
  final List<StatementView> views;
  final List<StatementReason> ineffective;
  final List<Guard> guards;
  final List<AccessEntry> entries;

  AccessTable(KeyPolicy policy, AccountId keyAccount, String keyArn) {
    this.policy = policy;
    this.keyAccount = keyAccount;
    this.keyArn = keyArn;
    this.search =
        new AccessSearch(
            KeyAccessEvaluator.builder().keyPolicy(policy).keyArn(keyArn).build(),
            RequestSpace.of(policy, keyAccount),
            keyArn);
    List<StatementView> all = new ArrayList<>();
    List<StatementReason> dead = new ArrayList<>();
    for (int i = 0; i < policy.statements().size(); i++) {
      StatementView v = StatementView.of(policy, i);
      all.add(v);
      if (v.whyIneffective != null) {
        dead.add(v.reason(ReasonCode.INEFFECTIVE, v.whyIneffective));
      }
    }
    this.views = List.copyOf(all);
    this.ineffective = List.copyOf(dead);
    List<Guard> denyGuards = new ArrayList<>();
    for (StatementView v : views) {
      if (v.whyIneffective == null) {
        ConditionScope.guardOf(v.statement).ifPresent(g -> denyGuards.add(new Guard(v, g)));
      }
    }
    this.guards = List.copyOf(denyGuards);
    this.entries = buildEntries();
  }

  /** A Deny statement that refuses every caller outside some accounts, organization or network. */
  static final class Guard {
    final StatementView deny;
    final ConditionScope scope;

    Guard(StatementView deny, ConditionScope scope) {
      this.deny = deny;
      this.scope = scope;
    }
  }

  private List<AccessEntry> buildEntries() {
    Map<String, EntryAcc> rows = new TreeMap<>();
    for (StatementView v : views) {
      if (!v.grants()) {
        continue;
      }
      List<String> conds = new ArrayList<>();
      for (Condition c : v.statement.conditions()) {
        conds.add(ConditionScope.render(c));
      }
      String joined = String.join("\u0000", conds);
      String allows = "allows " + summarize(v.actions) + " to ";
      for (Grantee g : grantees(v)) {
        String key = g.label() + '\u0000' + joined;
        EntryAcc row = rows.computeIfAbsent(key, k -> new EntryAcc(g, conds));
        row.actions.addAll(v.actions);
        row.reasons.add(v.reason(ReasonCode.GRANTS, allows + g.label()));
      }
    }
    List<AccessEntry> out = new ArrayList<>();
    for (EntryAcc row : rows.values()) {
      out.add(
          new AccessEntry(
              row.grantee, List.copyOf(row.actions), row.conditions, List.copyOf(row.reasons)));
    }
    return List.copyOf(out);
  }

  private static final class EntryAcc {
    final Grantee grantee;
    final List<String> conditions;
    final Set<KmsAction> actions = new TreeSet<>(BY_NAME);
    final Set<StatementReason> reasons = new LinkedHashSet<>();

    EntryAcc(Grantee grantee, List<String> conditions) {
      this.grantee = grantee;
      this.conditions = List.copyOf(conditions);
    }
  }

  /**
   * How far a statement's own conditions, or a Deny guard that refuses every caller it does not
   * narrow to, narrow who can call.
   */
  ConditionScope scopeOf(StatementView v) {
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
        return own.guardedBy(g.scope, g.deny.name());
      }
      if (best.kind() == ConditionScope.Kind.NONE) {
        best = own.guardedBy(g.scope, g.deny.name());
      }
    }
    return best;
  }

  /** Returns who an Allow statement names, one grantee per principal. */
  List<Grantee> grantees(StatementView v) {
    Statement s = v.statement;
    if (s.isNotPrincipal()) {
      String listed = values(s.principals());
      return List.of(
          new Grantee(
              Grantee.Kind.ANYONE_EXCEPT,
              listed,
              null,
              AccessSource.KEY_POLICY,
              "anyone except " + listed));
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
        out.add(new Grantee(Grantee.Kind.ANYONE, p.value(), null, AccessSource.KEY_POLICY, label));
      } else if (p instanceof Principal.Aws aws) {
        out.add(awsGrantee(aws));
      } else if (p instanceof Principal.Service) {
        out.add(
            new Grantee(Grantee.Kind.SERVICE, p.value(), null, AccessSource.KEY_POLICY, p.value()));
      } else {
        out.add(
            new Grantee(
                Grantee.Kind.INVALID,
                p.value(),
                null,
                AccessSource.KEY_POLICY,
                p.type() + " principal " + p.value() + " (not valid in a key policy)"));
      }
    }
    return out;
  }

  private Grantee awsGrantee(Principal.Aws aws) {
    AccountId account = aws.accountId().orElse(null);
    switch (aws.kind()) {
      case ACCOUNT -> {
        AccountId a = aws.accountId().orElseThrow();
        return new Grantee(
            Grantee.Kind.ACCOUNT,
            aws.value(),
            a,
            AccessSource.IAM_DELEGATION,
            "account " + a + (a.equals(keyAccount) ? " (via IAM)" : " (via IAM, another account)"));
      }
      case PARTIAL_WILDCARD -> {
        return new Grantee(
            Grantee.Kind.PATTERN,
            aws.value(),
            pinnedAccount(aws).orElse(null),
            AccessSource.KEY_POLICY,
            "principals matching " + aws.value());
      }
      case UNIQUE_ID -> {
        return new Grantee(
            Grantee.Kind.DELETED,
            aws.value(),
            null,
            AccessSource.KEY_POLICY,
            "deleted principal " + aws.value());
      }
      case UNRECOGNIZED -> {
        return new Grantee(
            Grantee.Kind.UNRECOGNIZED,
            aws.value(),
            null,
            AccessSource.KEY_POLICY,
            "unrecognized principal " + aws.value());
      }
      default -> {
        return new Grantee(
            Grantee.Kind.PRINCIPAL, aws.value(), account, AccessSource.KEY_POLICY, aws.value());
      }
    }
  }

  /**
   * The account a partial-wildcard principal is pinned to: its fixed prefix names an IAM or STS ARN
   * of one account ({@code arn:aws:iam::111122223333:role/app-*}).
   */
  static Optional<AccountId> pinnedAccount(Principal.Aws aws) {
    String prefix = aws.value().substring(0, ConditionScope.firstWildcard(aws.value()));
    return PINNED_PRINCIPAL.matcher(prefix).matches()
        ? ConditionScope.accountOfArn(aws.value())
        : Optional.empty();
  }

  /** Who a wildcard statement reaches, or empty when it names no wildcard principal. */
  static Optional<String> wildcardDescription(Statement s) {
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
      } else if (p instanceof Principal.Aws aws
          && aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD
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

  /** Describes a statement's principals: {@code everyone except [a, b]} or the values. */
  static String describePrincipals(Statement s) {
    return (s.isNotPrincipal() ? "everyone except " : "") + values(s.principals());
  }

  static String values(List<Principal> principals) {
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

  private static Set<KmsAction> authorizable() {
    Set<KmsAction> out = new TreeSet<>(BY_NAME);
    for (KmsAction a : KmsAction.known()) {
      if (a.isKeyPolicyAuthorizable()) {
        out.add(a);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  private static Set<KmsAction> crossAccountAuthorizable() {
    Set<KmsAction> out = new TreeSet<>(BY_NAME);
    for (KmsAction a : AUTHORIZABLE) {
      if (a.isCrossAccount()) {
        out.add(a);
      }
    }
    return Collections.unmodifiableSet(out);
  }

  // ---- the searches the verdicts share ----

  /** Returns the callers that {@code filter} accepts, in the space's order. */
  List<Caller> callers(java.util.function.Predicate<Caller> filter) {
    List<Caller> out = new ArrayList<>();
    for (Caller c : search.space().callers) {
      if (filter.test(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /** Returns whether the caller belongs to no account the policy names (or is anonymous). */
  boolean isOutsider(Caller c) {
    return switch (c.kind()) {
      case ANONYMOUS -> true;
      case SERVICE -> !c.named();
      default -> c.isIn(search.space().freshAccount);
    };
  }

  /**
   * Returns one action of each class of {@code actions} that every statement treats alike (same
   * Action and NotAction coverage, same cross-account rule, same request keys): the search needs to
   * try only one of each.
   */
  List<KmsAction> actionClasses(java.util.Collection<KmsAction> actions) {
    Map<String, KmsAction> classes = new java.util.LinkedHashMap<>();
    for (KmsAction a : actions) {
      classes.putIfAbsent(signature(a), a);
    }
    return List.copyOf(classes.values());
  }

  // The signature of each catalog action (by ActionIndex), made when first asked for: the verdicts
  // ask for the classes of a few sets of actions many times over. Threads may race to fill an
  // element; both make equal strings.
  private final @Nullable String[] signatures = new String[64];
  private volatile @Nullable List<String> conditionKeys;

  private String signature(KmsAction a) {
    int i = ActionIndex.indexOf(a);
    if (i < 0) {
      return signature(a, i, conditionKeys());
    }
    String sig = signatures[i];
    if (sig == null) {
      sig = signature(a, i, conditionKeys());
      signatures[i] = sig;
    }
    return sig;
  }

  // The lower-case keys of every statement's conditions, in statement order.
  private List<String> conditionKeys() {
    List<String> keys = conditionKeys;
    if (keys == null) {
      List<String> out = new ArrayList<>();
      for (StatementView v : views) {
        for (Condition c : v.statement.conditions()) {
          out.add(ContextKeys.lower(c.key().name()));
        }
      }
      keys = List.copyOf(out);
      conditionKeys = keys;
    }
    return keys;
  }

  // Which statements apply to the action on the key, whether it works across accounts, and which
  // condition keys KMS can send with it. A request is made only for a statement whose answer
  // depends on it (a Resource with a policy variable) or an action outside the catalog.
  private String signature(KmsAction a, int index, List<String> keys) {
    KeyAccessEvaluator evaluator = search.evaluator();
    StringBuilder sig = new StringBuilder(evaluator.statementCount() + 1 + keys.size());
    AccessRequest probe = null;
    for (int i = 0; i < evaluator.statementCount(); i++) {
      int applies = index < 0 ? -1 : evaluator.appliesToCatalogActionOnKey(i, index);
      if (applies < 0) {
        if (probe == null) {
          probe =
              AccessRequest.builder()
                  .principal(AccessRequest.ANONYMOUS)
                  .action(a)
                  .resource(keyArn)
                  .build();
        }
        applies = evaluator.appliesToActionAndKey(i, probe) ? 1 : 0;
      }
      sig.append(applies == 1 ? '1' : '0');
    }
    sig.append(a.isCrossAccount() ? 'x' : '-');
    for (String k : keys) {
      sig.append(ContextKeys.possibleWith(k, a) ? '1' : '0');
    }
    return sig.toString();
  }

  /**
   * {@link #actionClasses} as it was before signatures were remembered, computing each signature
   * afresh: the oracle that the remembered signatures are tested against.
   */
  List<KmsAction> actionClassesUncached(java.util.Collection<KmsAction> actions) {
    Map<String, KmsAction> classes = new java.util.LinkedHashMap<>();
    KeyAccessEvaluator evaluator = search.evaluator();
    List<String> keys = new ArrayList<>();
    for (StatementView v : views) {
      for (Condition c : v.statement.conditions()) {
        keys.add(ContextKeys.lower(c.key().name()));
      }
    }
    for (KmsAction a : actions) {
      StringBuilder sig = new StringBuilder();
      AccessRequest probe =
          AccessRequest.builder()
              .principal(AccessRequest.ANONYMOUS)
              .action(a)
              .resource(keyArn)
              .build();
      for (int i = 0; i < evaluator.statementCount(); i++) {
        sig.append(evaluator.appliesToActionAndKey(i, probe) ? '1' : '0');
      }
      sig.append(a.isCrossAccount() ? 'x' : '-');
      for (String k : keys) {
        sig.append(ContextKeys.possibleWith(k, a) ? '1' : '0');
      }
      classes.putIfAbsent(sig.toString(), a);
    }
    return List.copyOf(classes.values());
  }

  /** Returns the statement index that decided a witness in the key policy, or -1. */
  static int decidingStatement(Witness w) {
    for (StatementRef ref : w.decision().statements()) {
      OptionalInt at = ref.keyPolicyIndex();
      if (at.isPresent()) {
        return at.getAsInt();
      }
    }
    return -1;
  }

  /** Returns how a message tells a witness: the request and how the evaluator decides it. */
  static String witnessText(@Nullable Witness w) {
    return Objects.requireNonNull(w, "an answer that is not a plain no has a witness").summary();
  }

  /** Marks only statement {@code index}. */
  boolean[] only(int index) {
    boolean[] marks = new boolean[views.size()];
    marks[index] = true;
    return marks;
  }

  /** Returns the view of statement {@code index}. */
  StatementView view(int index) {
    return views.get(index);
  }
}
