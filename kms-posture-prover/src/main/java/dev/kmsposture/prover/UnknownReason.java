package dev.kmsposture.prover;

/** Why a question could not be answered. */
public enum UnknownReason {
  /** The solver did not finish within the time limit ({@link PolicyProver.Builder#timeout}). */
  TIMEOUT,
  /**
   * The policy holds a construct the encoding does not cover exactly (the detail names it), such as
   * a policy variable next to a wildcard or in a numeric comparison.
   */
  UNSUPPORTED_CONSTRUCT,
  /**
   * No request was found, but only among requests within the prover's bounds (the detail says
   * which), so "no" is not proved: raise {@link PolicyProver.Builder#maxSetSize}.
   */
  BOUNDED,
  /** The solver gave up for another reason (the detail gives its reason). */
  SOLVER_GAVE_UP
}
