package dev.kmsposture.cli;

import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Rule;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Suppression;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses suppressions that name no rule: a misspelled rule id would otherwise suppress nothing,
 * silently, as an unknown configuration setting would set nothing (and those are refused too).
 */
final class SuppressionRules {
  private SuppressionRules() {}

  /**
   * Checks that every suppression of {@code config} names {@code *}, a rule of {@code rules} or one
   * of its former ids.
   *
   * @param config the configuration
   * @param rules the rules the check applies
   * @param configName the configuration file's name, for the message
   * @throws BadInputException naming the suppression's JSON Pointer and listing the known ids
   */
  static void check(PostureConfig config, RuleSet rules, String configName) {
    Set<String> known = new TreeSet<>();
    Set<String> ids = new TreeSet<>();
    for (Rule rule : rules.rules()) {
      ids.add(rule.id().value());
      known.add(rule.id().value());
      for (RuleId alias : rule.info().aliases()) {
        known.add(alias.value());
      }
    }
    List<Suppression> suppressions = config.suppressions();
    for (int i = 0; i < suppressions.size(); i++) {
      String id = suppressions.get(i).ruleId();
      if (!id.equals("*") && !known.contains(id)) {
        throw new BadInputException(
            String.format(
                "configuration [%s] at /suppressions/%d/ruleId: rule [%s] does not exist, so the"
                    + " suppression would suppress nothing; known rule ids (or * for every rule):"
                    + " %s",
                configName, i, id, ids));
      }
    }
  }
}
