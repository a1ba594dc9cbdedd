package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Objects;

/**
 * A principal (or class of principals) together with some of the actions a key policy allows it, as
 * listed by {@link AccessAnalysis#administrators()}, {@link AccessAnalysis#users()} and {@link
 * AccessAnalysis#adminsWhoCanUse()}.
 *
 * @param grantee who, as a value; {@link #principal()} renders it
 * @param actions the actions of the list's kind, canonical spelling, sorted by name
 * @param reasons the Allow statements that grant them
 */
public record PrincipalActions(
    Grantee grantee, List<KmsAction> actions, List<StatementReason> reasons) {

  /** Copies the lists. */
  public PrincipalActions {
    Objects.requireNonNull(grantee, "grantee");
    actions = List.copyOf(actions);
    reasons = List.copyOf(reasons);
  }

  /** Returns who, as people read it ({@link Grantee#label()}, as in {@link AccessEntry}). */
  public String principal() {
    return grantee.label();
  }
}
