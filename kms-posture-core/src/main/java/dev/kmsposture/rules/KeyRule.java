package dev.kmsposture.rules;

import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;

/** A rule that judges one key at a time. */
public non-sealed interface KeyRule extends Rule {
  /**
   * Judges {@code key}. Returns at least one finding: the result for the key, or one per item
   * (grant, statement) it found.
   *
   * @param key the key
   * @param context the account snapshot, configuration and shared computations (parsed policy,
   *     access analysis)
   */
  List<Finding> check(KeySnapshot key, RuleContext context);
}
