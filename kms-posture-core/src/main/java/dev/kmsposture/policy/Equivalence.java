package dev.kmsposture.policy;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The normal form behind {@code isEquivalentTo}: two policies are equivalent when their normal
 * forms are equal, so the relation is reflexive, symmetric and transitive by construction.
 *
 * <p>What the normal form forgets, because it does not change meaning: statement order and
 * duplicate statements, Sids and the policy Id, value order and duplicates, scalar versus array,
 * {@code "*"} versus {@code {"AWS": "*"}} (the IAM guide documents them as the same), an account id
 * versus its root ARN, the letter case of action names and condition keys, a JSON boolean versus
 * its string, an empty {@code Condition} element or operator block, and a missing Version versus
 * {@code 2008-10-17} (IAM applies the 2008 rules when Version is absent).
 */
final class Equivalence {
  private Equivalence() {}

  record StatementKey(
      Effect effect,
      boolean notPrincipal,
      Set<String> principals,
      int actionMode,
      Set<String> actions,
      int resourceMode,
      Set<String> resources,
      Set<String> conditions) {}

  record PolicyKey(PolicyVersion version, Set<StatementKey> statements) {}

  static PolicyKey policyKey(KeyPolicy p) {
    Set<StatementKey> statements = new HashSet<>();
    for (Statement s : p.statements()) {
      statements.add(statementKey(s));
    }
    PolicyVersion v = p.version() == null ? PolicyVersion.V2008_10_17 : p.version();
    return new PolicyKey(v, statements);
  }

  static StatementKey statementKey(Statement s) {
    Set<String> principals = new TreeSet<>();
    for (Principal p : s.principals()) {
      principals.add(principalKey(p));
    }
    Set<String> actions = new TreeSet<>();
    for (KmsAction a : s.actions()) {
      actions.add(a.name().toLowerCase(Locale.ROOT));
    }
    Set<String> conditions = new TreeSet<>();
    for (Condition c : s.conditions()) {
      Set<String> values = new TreeSet<>();
      for (ConditionValue v : c.values()) {
        values.add(v.text());
      }
      conditions.add(c.operator().name() + "\u0000" + c.key().normalized() + "\u0000" + values);
    }
    return new StatementKey(
        s.effect(),
        s.isNotPrincipal(),
        principals,
        s.action() == null ? 0 : s.isNotAction() ? 2 : 1,
        actions,
        s.resource() == null ? 0 : s.isNotResource() ? 2 : 1,
        new TreeSet<>(s.resources()),
        conditions);
  }

  private static String principalKey(Principal p) {
    if (p.isEveryone() && !(p instanceof Principal.Service)) {
      return "AWS:*";
    }
    if (p instanceof Principal.Aws aws) {

      if (aws.kind() == Principal.AwsKind.ACCOUNT && aws.accountId().isPresent()) {
        return "AWS:account:" + aws.accountId().get().value();
      }
    }
    return p.type() + ":" + p.value();
  }
}
