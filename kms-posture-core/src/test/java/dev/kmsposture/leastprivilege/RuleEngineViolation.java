package dev.kmsposture.leastprivilege;

import dev.kmsposture.checklist.Severity;
import dev.kmsposture.rules.Status;

/**
 * A fixture for {@code ArchitectureTest}: a least-privilege class that uses the rule engine, not
 * only the checklist's vocabulary ({@code Severity}, {@code RuleId}) below both. It lives in the
 * test sources, which the layering rule does not import.
 */
public final class RuleEngineViolation {
  private RuleEngineViolation() {}

  /** Reads the checklist's severity: allowed. */
  public static Severity severity() {
    return Severity.CRITICAL;
  }

  /** Reads the engine's status: the sideways dependency the layering rule forbids. */
  public static Status status() {
    return Status.FAIL;
  }
}
