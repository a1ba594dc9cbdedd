package dev.kmsposture.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, ordered set of rules with unique ids.
 *
 * @param rules the rules, in evaluation order
 */
public record RuleSet(List<Rule> rules) {
  /** Copies the rules and checks that ids are unique. */
  public RuleSet {
    rules = List.copyOf(rules);
    Set<RuleId> seen = new HashSet<>();
    for (Rule r : rules) {
      if (!seen.add(r.id())) {
        throw new IllegalArgumentException(
            String.format("rule id [%s] appears twice in the rule set", r.id()));
      }
    }
  }

  /** Returns a rule set of {@code rules}. */
  public static RuleSet of(Rule... rules) {
    return new RuleSet(List.of(rules));
  }

  /** Returns a rule set of {@code rules}. */
  public static RuleSet of(Collection<? extends Rule> rules) {
    return new RuleSet(List.copyOf(rules));
  }

  /** Returns this set with {@code rule} added at the end. */
  public RuleSet with(Rule rule) {
    List<Rule> l = new ArrayList<>(rules);
    l.add(Objects.requireNonNull(rule, "rule"));
    return new RuleSet(l);
  }

  /** Returns this set without the rule {@code id}. */
  public RuleSet without(RuleId id) {
    List<Rule> l = new ArrayList<>(rules);
    l.removeIf(r -> r.id().equals(id));
    return new RuleSet(l);
  }

  /** Returns the rules whose severity is at least {@code threshold}. */
  public RuleSet atLeast(Severity threshold) {
    return new RuleSet(
        rules.stream().filter(r -> r.info().severity().isAtLeast(threshold)).toList());
  }

  /** Returns the number of rules. */
  public int size() {
    return rules.size();
  }
}
