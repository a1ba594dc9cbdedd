package dev.kmsposture.access;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of KMS's key-policy lockout safety check for one caller, as computed by {@link
 * AccessAnalysis#canPutKeyPolicy(String)}.
 *
 * @param passes whether the caller could still call {@code kms:PutKeyPolicy} under the policy,
 *     directly or through the account's IAM delegation
 * @param explanation one sentence saying why
 * @param reasons the statements that decide it; empty when none applies
 */
public record LockoutCheck(boolean passes, String explanation, List<StatementReason> reasons) {

  /** Copies the reasons. */
  public LockoutCheck {
    Objects.requireNonNull(explanation, "explanation");
    reasons = List.copyOf(reasons);
  }
}
