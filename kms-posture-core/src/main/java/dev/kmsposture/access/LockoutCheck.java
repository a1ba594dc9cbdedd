package dev.kmsposture.access;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of KMS's key-policy lockout safety check for one caller, as computed by {@link
 * AccessAnalysis#canPutKeyPolicy(String)} from the evaluator.
 *
 * @param verdict whether the check passes, and how sure the answer is
 * @param explanation one sentence saying why
 * @param reasons the statements that decide it; empty when none applies
 * @param witness the {@code kms:PutKeyPolicy} request by the caller that the evaluator allows (or
 *     allows if the caller's IAM policies allow), when the check passes; null otherwise
 */
public record LockoutCheck(
    Verdict verdict, String explanation, List<StatementReason> reasons, @Nullable Witness witness) {

  /** The outcome. */
  public enum Verdict {
    /** The caller is allowed with a request it can send (only context it chooses). */
    PASSES,
    /**
     * The caller is allowed only when its request carries context it does not choose (an
     * organization, a network, a time): the check passes if the request does.
     */
    PASSES_WITH_CONTEXT,
    /** No request of the caller is allowed: KMS refuses the policy. */
    FAILS,
    /** The analysis cannot tell; read it as "possibly fails". */
    POSSIBLY_FAILS
  }

  /** Copies the reasons and checks that a witness comes with a pass. */
  public LockoutCheck {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(explanation, "explanation");
    reasons = List.copyOf(reasons);
    boolean pass = verdict == Verdict.PASSES || verdict == Verdict.PASSES_WITH_CONTEXT;
    if (pass != (witness != null)) {
      throw new IllegalArgumentException(
          String.format("verdict [%s] needs a witness exactly when it passes", verdict));
    }
  }

  /**
   * Returns whether the caller could still call {@code kms:PutKeyPolicy} under the policy, directly
   * or through the account's IAM delegation, with some request ({@link Verdict#PASSES} or {@link
   * Verdict#PASSES_WITH_CONTEXT}).
   */
  public boolean passes() {
    return witness != null;
  }

  /** Returns the witness of a pass. */
  public Optional<Witness> witnessIfPresent() {
    return Optional.ofNullable(witness);
  }
}
