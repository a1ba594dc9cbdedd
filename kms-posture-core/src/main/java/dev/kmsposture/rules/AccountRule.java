package dev.kmsposture.rules;

import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.List;

/** A rule that judges the account as a whole, such as CloudTrail coverage of KMS events. */
public non-sealed interface AccountRule extends Rule {
  /**
   * Judges the account. Returns at least one finding.
   *
   * @param snapshot the account snapshot
   * @param context the configuration and shared computations
   */
  List<Finding> check(AccountSnapshot snapshot, RuleContext context);
}
