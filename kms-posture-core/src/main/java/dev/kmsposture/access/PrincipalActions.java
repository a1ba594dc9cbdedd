package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Objects;

/**
 * A principal (or class of principals) together with some of the actions a key policy allows it, as
 * listed by {@link AccessAnalysis#administrators()}, {@link AccessAnalysis#users()} and {@link
 * AccessAnalysis#adminsWhoCanUse()}.
 *
 * @param principal who, described as in {@link AccessEntry#principal()}
 * @param actions the actions of the list's kind, canonical spelling, sorted by name
 * @param reasons the Allow statements that grant them
 */
public record PrincipalActions(
    String principal, List<KmsAction> actions, List<StatementReason> reasons) {

  /** Copies the lists. */
  public PrincipalActions {
    Objects.requireNonNull(principal, "principal");
    actions = List.copyOf(actions);
    reasons = List.copyOf(reasons);
  }
}
