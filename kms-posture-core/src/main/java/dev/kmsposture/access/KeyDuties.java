package dev.kmsposture.access;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The separation-of-duties verdict of {@link AccessAnalysis}: who administers the key, who uses it,
 * and who does both.
 *
 * <p>The grantees come from the Allow statements; the evaluator then decides over the whole policy:
 * a grantee that no request of its principals can use for the listed actions (a Deny takes them
 * away) is dropped, and an administrator is one who can also use the key when any statement (not
 * only one that names it) lets its principals use it. Deleted and unrecognized principals, which no
 * caller can act as, never administer and use.
 */
final class KeyDuties {

  /** The administrative actions: they change who can use the key, or whether it can be used. */
  static final Set<KmsAction> ADMIN_ACTIONS =
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

  private static final String GRANT_IS_FOR_AWS_RESOURCE = "kms:GrantIsForAWSResource";

  final List<PrincipalActions> administrators;
  final List<PrincipalActions> users;
  final List<PrincipalActions> adminsWhoCanUse;

  private final AccessTable table;

  KeyDuties(AccessTable table) {
    this.table = table;
    Map<String, Acc> admins = new TreeMap<>();
    Map<String, Acc> uses = new TreeMap<>();
    for (StatementView v : table.views) {
      if (!v.grants()) {
        continue;
      }
      boolean awsResourceOnly = grantIsForAwsResource(v.statement);
      Set<KmsAction> admin = new TreeSet<>(AccessTable.BY_NAME);
      Set<KmsAction> use = new TreeSet<>(AccessTable.BY_NAME);
      for (KmsAction a : v.actions) {
        if (ADMIN_ACTIONS.contains(a) || (a.equals(KmsAction.CREATE_GRANT) && !awsResourceOnly)) {
          admin.add(a);
        }
        if (a.isCryptographic() || (awsResourceOnly && AWS_RESOURCE_GRANT_ACTIONS.contains(a))) {
          use.add(a);
        }
      }
      for (Grantee g : table.grantees(v)) {
        if (!admin.isEmpty()) {
          admins
              .computeIfAbsent(g.label(), k -> new Acc(g))
              .add(
                  admin,
                  v.reason(
                      ReasonCode.ADMINISTERS,
                      "allows " + AccessTable.summarize(admin) + " to " + g.label()));
        }
        if (!use.isEmpty()) {
          uses.computeIfAbsent(g.label(), k -> new Acc(g))
              .add(
                  use,
                  v.reason(
                      ReasonCode.USES,
                      "allows " + AccessTable.summarize(use) + " to " + g.label()));
        }
      }
    }
    admins.values().removeIf(acc -> stillGranted(acc).isNo());
    uses.values().removeIf(acc -> stillGranted(acc).isNo());
    this.administrators = toList(admins);
    this.users = toList(uses);
    Map<String, Acc> both = new TreeMap<>();
    for (Map.Entry<String, Acc> e : admins.entrySet()) {
      Acc admin = e.getValue();
      if (admin.grantee.kind().isNobody()) {
        continue;
      }
      Acc u = uses.get(e.getKey());
      if (u != null) {
        Acc b = new Acc(admin.grantee);
        b.actions.addAll(admin.actions);
        b.actions.addAll(u.actions);
        b.reasons.addAll(admin.reasons);
        b.reasons.addAll(u.reasons);
        both.put(e.getKey(), b);
        continue;
      }
      if (admin.grantee.kind() == Grantee.Kind.ACCOUNT) {
        // What the account's IAM policies may add is RootDelegationOnProductionKey's question.
        continue;
      }
      AccessAnswer use = usesThroughAnyStatement(admin);
      if (use.isNo()) {
        continue;
      }
      Acc b = new Acc(admin.grantee);
      b.actions.addAll(admin.actions);
      b.reasons.addAll(admin.reasons);
      if (use.isYes()) {
        Witness w = Objects.requireNonNull(use.witness());
        b.actions.add(w.request().action());
        int at = AccessTable.decidingStatement(w);
        StatementView via = table.view(at < 0 ? admin.first().place().index() : at);
        b.reasons.add(
            via.reason(
                ReasonCode.USES,
                "allows "
                    + w.request().action().name()
                    + " to "
                    + AccessTable.describePrincipals(via.statement)
                    + ", which includes "
                    + admin.grantee.label()
                    + ": "
                    + AccessTable.witnessText(w)));
      } else {
        StatementView first = table.view(admin.first().place().index());
        b.reasons.add(
            first.reason(
                ReasonCode.USES,
                "whether "
                    + admin.grantee.label()
                    + " can also use the key cannot be told: "
                    + use.why()));
      }
      both.put(e.getKey(), b);
    }
    this.adminsWhoCanUse = toList(both);
  }

  // Whether a statement the row comes from still grants the grantee one of the row's actions,
  // together with every Deny: a row that every Deny takes away is dropped.
  private AccessAnswer stillGranted(Acc acc) {
    if (acc.grantee.kind().isNobody()) {
      return new AccessAnswer(AccessAnswer.Answer.POSSIBLY, null, "no caller can act as it");
    }
    AccessAnswer result = new AccessAnswer(AccessAnswer.Answer.NO, null, null);
    for (StatementReason r : acc.reasons) {
      StatementView v = table.view(r.place().index());
      List<Caller> callers = callersOf(acc.grantee, v);
      if (callers.isEmpty()) {
        continue;
      }
      AccessAnswer a =
          AccessAnswer.of(
              table.search.find(
                  callers,
                  table.actionClasses(acc.actions),
                  AccessSearch.ContextChoice.free(),
                  AccessSearch::grants,
                  table.only(v.index)));
      if (a.isYes()) {
        return a;
      }
      if (a.answer() == AccessAnswer.Answer.POSSIBLY) {
        result = a;
      }
    }
    return result;
  }

  // Whether the whole policy lets a principal of the grantee use the key through a statement that
  // names it (its ARN, a pattern, everyone), not only the statements of its own row.
  private AccessAnswer usesThroughAnyStatement(Acc acc) {
    List<Caller> callers = callersOf(acc.grantee, table.view(acc.first().place().index()));
    if (callers.isEmpty()) {
      return new AccessAnswer(AccessAnswer.Answer.NO, null, null);
    }
    return AccessAnswer.of(
        table.search.find(
            callers,
            table.actionClasses(KmsAction.cryptographic()),
            AccessSearch.ContextChoice.free(),
            this::namesTheCaller,
            null,
            java.util.Map.of()));
  }

  // Access that a key-policy statement gives the caller by naming it (its ARN, a pattern, everyone,
  // a NotPrincipal that does not exempt it), not through its account's IAM delegation, which
  // RootDelegationOnProductionKey judges. A named principal of another account still needs its
  // own IAM policies: that counts.
  private boolean namesTheCaller(AccessRequest r, Decision d) {
    if (!AccessSearch.grants(d)) {
      return false;
    }
    for (StatementRef ref : d.statements()) {
      OptionalInt at = ref.keyPolicyIndex();
      if (at.isPresent()) {
        CompiledStatement s = table.search.evaluator().compiled(at.getAsInt());
        return s.principalMatch(r) == PrincipalPattern.DIRECT;
      }
    }
    return false;
  }

  // The callers of each grantee of each statement, as callersOf found them: a grantee that both
  // administers and uses the key is asked about twice. Used only while the constructor runs.
  private final Map<String, List<Caller>> callers = new java.util.HashMap<>();

  // The representative callers a grantee of statement v stands for.
  private List<Caller> callersOf(Grantee g, StatementView v) {
    boolean anyone = g.kind() == Grantee.Kind.ANYONE || g.kind() == Grantee.Kind.ANYONE_EXCEPT;
    String key = v.index + (anyone ? "*" : ":" + g.value());
    List<Caller> known = callers.get(key);
    if (known == null) {
      known = callersOfUncached(g, v);
      callers.put(key, known);
    }
    return known;
  }

  private List<Caller> callersOfUncached(Grantee g, StatementView v) {
    CompiledStatement whole = table.search.evaluator().compiled(v.index);
    PrincipalPattern one = null;
    if (g.kind() != Grantee.Kind.ANYONE && g.kind() != Grantee.Kind.ANYONE_EXCEPT) {
      for (dev.kmsposture.policy.Principal p : v.statement.principals()) {
        if (p.value().equals(g.value())) {
          one = PrincipalPattern.of(p);
          break;
        }
      }
    }
    PrincipalPattern pattern = one;
    return table.callers(
        c -> {
          if (c.boundary()) {
            return false;
          }
          AccessRequest probe = table.search.probe(c, KmsAction.DESCRIBE_KEY);
          return pattern == null
              ? whole.principalMatch(probe) != PrincipalPattern.NONE
              : pattern.match(probe) != PrincipalPattern.NONE;
        });
  }

  /** Whether the statement requires {@code "Bool": {"kms:GrantIsForAWSResource": true}}. */
  static boolean grantIsForAwsResource(Statement s) {
    for (Condition c : s.conditions()) {
      ConditionOperator op = c.operator();
      if (c.key().sameKeyAs(GRANT_IS_FOR_AWS_RESOURCE)
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

  private static List<PrincipalActions> toList(Map<String, Acc> map) {
    List<PrincipalActions> out = new ArrayList<>();
    for (Acc acc : map.values()) {
      out.add(
          new PrincipalActions(acc.grantee, List.copyOf(acc.actions), List.copyOf(acc.reasons)));
    }
    return List.copyOf(out);
  }

  private static final class Acc {
    final Grantee grantee;
    final Set<KmsAction> actions = new TreeSet<>(AccessTable.BY_NAME);
    final Set<StatementReason> reasons = new LinkedHashSet<>();

    Acc(Grantee grantee) {
      this.grantee = grantee;
    }

    StatementReason first() {
      return reasons.iterator().next();
    }

    void add(Set<KmsAction> more, StatementReason reason) {
      actions.addAll(more);
      reasons.add(reason);
    }
  }
}
