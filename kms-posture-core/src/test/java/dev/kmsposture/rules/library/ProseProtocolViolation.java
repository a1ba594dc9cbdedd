package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;

/**
 * A deliberate violation of the architecture rule that bans reading analysis prose in rules: the
 * architecture test shows that the rule fails on it.
 */
public final class ProseProtocolViolation {
  private ProseProtocolViolation() {}

  /** Decides on the wording of a reason, which the rule forbids. */
  public static boolean deniesByWording(AccessAnalysis analysis) {
    return analysis.lockoutReasons().stream().anyMatch(r -> r.message().startsWith("denies"));
  }
}
