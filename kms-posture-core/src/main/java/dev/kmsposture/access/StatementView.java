package dev.kmsposture.access;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.policy.StatementPlace;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
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
    Set<KmsAction> actions = authorizableActions(s);
    return new StatementView(
        index, s, StatementPlace.of(policy, index), actions, whyIneffective(s, actions));
  }

  // The authorizable actions of each set of catalog actions (as a mask) that an Action or
  // NotAction element covers: policies spell the same few action lists over and over. Bounded.
  private static final int MAX_REMEMBERED = 4096;
  private static final Map<Long, Set<KmsAction>> BY_MASK = new ConcurrentHashMap<>();

  /**
   * Returns the catalog actions a key policy can authorize that the statement's Action or NotAction
   * covers, sorted by name; unmodifiable. Shared by the statements that cover the same actions.
   */
  static Set<KmsAction> authorizableActions(Statement s) {
    long mask = ActionIndex.maskOf(s.actions());
    if (s.isNotAction()) {
      mask = ~mask & ActionIndex.ALL;
    }
    Set<KmsAction> known = BY_MASK.get(mask);
    if (known != null) {
      return known;
    }
    Set<KmsAction> actions = authorizableActionsUncached(s);
    if (BY_MASK.size() < MAX_REMEMBERED) {
      BY_MASK.putIfAbsent(mask, actions);
    }
    return actions;
  }

  /**
   * {@link #authorizableActions} worked out afresh from the statement's patterns: the oracle the
   * remembered sets are tested against.
   */
  static Set<KmsAction> authorizableActionsUncached(Statement s) {
    // A sorted set, so that a TreeSet of the same order copies it in one pass (TreeSet.addAll).
    java.util.SortedSet<KmsAction> actions = new TreeSet<>(AccessTable.BY_NAME);
    Set<KmsAction> expanded =
        s.isNotAction() ? KmsAction.complementOf(s.actions()) : KmsAction.expandAll(s.actions());
    for (KmsAction a : expanded) {
      if (a.isKeyPolicyAuthorizable()) {
        actions.add(a);
      }
    }
    return Collections.unmodifiableSortedSet(actions);
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
