package dev.kmsposture.policy;

import dev.kmsposture.rules.Severity;

/**
 * A fixture for {@code ArchitectureTest}: a class of the policy model that depends on the rule
 * engine, a layer above it. It lives in the test sources, which the layering rule does not import.
 */
public final class LayeringViolation {
  private LayeringViolation() {}

  /** Reads the engine's severity: the upward dependency the layering rule forbids. */
  public static Severity severity() {
    return Severity.CRITICAL;
  }
}
