package dev.kmsposture.leastprivilege;

import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;

/**
 * A fixture for {@code ArchitectureTest}: a least-privilege class that uses the rule engine beyond
 * {@code Severity} and {@code RuleId}, the one crossing the layering rule allows. It lives in the
 * test sources, which the layering rule does not import.
 */
public final class RuleEngineViolation {
  private RuleEngineViolation() {}

  /** Reads the engine's severity: allowed. */
  public static Severity severity() {
    return Severity.CRITICAL;
  }

  /** Reads the engine's status: the sideways dependency the layering rule forbids. */
  public static Status status() {
    return Status.FAIL;
  }
}
