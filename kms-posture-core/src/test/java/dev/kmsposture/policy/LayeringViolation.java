package dev.kmsposture.policy;

import dev.kmsposture.checklist.Severity;

/**
 * A fixture for {@code ArchitectureTest}: a class of the policy model that depends on the
 * checklist's vocabulary, a layer above it. It lives in the test sources, which the layering rule
 * does not import.
 */
public final class LayeringViolation {
  private LayeringViolation() {}

  /** Reads the checklist's severity: the upward dependency the layering rule forbids. */
  public static Severity severity() {
    return Severity.CRITICAL;
  }
}
