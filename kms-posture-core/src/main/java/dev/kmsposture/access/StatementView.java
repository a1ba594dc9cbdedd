package dev.kmsposture.access;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.policy.StatementPlace;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One statement of the analysed policy, with the catalog actions a key policy can authorize that it
 * covers (wildcards and {@code NotAction} expanded) and why it has no effect, if it has none.
 */
final class StatementView {
  final int index;
  final Statement statement;
  final StatementPlace place;
  final Set<KmsAction> actions;
  final @Nullable String whyIneffective;

  private StatementView(
      int index,
      Statement statement,
      StatementPlace place,
      Set<KmsAction> actions,
      @Nullable String whyIneffective) {
    this.index = index;
    this.statement = statement;
    this.place = place;
    this.actions = actions;
    this.whyIneffective = whyIneffective;
  }

  static StatementView of(KeyPolicy policy, int index) {
    Statement s = policy.statements().get(index);
    Set<KmsAction> actions = new TreeSet<>(AccessTable.BY_NAME);
    Set<KmsAction> expanded =
        s.isNotAction() ? KmsAction.complementOf(s.actions()) : KmsAction.expandAll(s.actions());
    for (KmsAction a : expanded) {
      if (a.isKeyPolicyAuthorizable()) {
        actions.add(a);
      }
    }
    return new StatementView(
        index,
        s,
        StatementPlace.of(policy, index),
        Collections.unmodifiableSet(actions),
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

  /** Returns whether this is an Allow that has an effect. */
  boolean grants() {
    return whyIneffective == null && statement.isAllow();
  }

  /** Returns a reason about this statement. */
  StatementReason reason(ReasonCode code, String message) {
    return new StatementReason(place, code, message);
  }

  /** Returns how reasons name this statement: {@code /Statement/2 (Sid "Admins")}. */
  String name() {
    return place.name();
  }
}
