package dev.kmsposture.aws.provision;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Remediator#apply(RemediationPlan)} did and found when it read the key back.
 *
 * @param plan the plan applied
 * @param verified the fixes confirmed by reading the key back
 * @param problems the fixes the key does not show (empty when every fix holds)
 */
public record RemediationResult(
    RemediationPlan plan, List<String> verified, List<String> problems) {
  /** Copies the lists. */
  public RemediationResult {
    Objects.requireNonNull(plan, "plan");
    verified = List.copyOf(verified);
    problems = List.copyOf(problems);
  }

  /** Returns whether every fix was verified. */
  public boolean complete() {
    return problems.isEmpty();
  }
}
