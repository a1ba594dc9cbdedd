package dev.kmsposture.access;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The separation-of-duties verdict of {@link AccessAnalysis}: who administers the key, who uses it,
 * and who does both.
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

  KeyDuties(AccessTable table) {
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
    this.administrators = toList(admins);
    this.users = toList(uses);
    Map<String, Acc> both = new TreeMap<>();
    for (Map.Entry<String, Acc> e : admins.entrySet()) {
      Acc u = uses.get(e.getKey());
      if (u != null) {
        Acc b = new Acc(e.getValue().grantee);
        b.actions.addAll(e.getValue().actions);
        b.actions.addAll(u.actions);
        b.reasons.addAll(e.getValue().reasons);
        b.reasons.addAll(u.reasons);
        both.put(e.getKey(), b);
      }
    }
    this.adminsWhoCanUse = toList(both);
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

    void add(Set<KmsAction> more, StatementReason reason) {
      actions.addAll(more);
      reasons.add(reason);
    }
  }
}
