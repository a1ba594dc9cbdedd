package dev.kmsposture.blueprint;

import dev.kmsposture.leastprivilege.BuiltKeyPolicy;
import dev.kmsposture.leastprivilege.InsecureOverride;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.List;
import java.util.Objects;

/**
 * What the posture rules said about a blueprint: the report on the snapshot of the key it would
 * create, the failures that block it, and the overrides that let failures through.
 *
 * @param policy the key policy built for the caller
 * @param desiredState the snapshot the rules judged: the key (and its replicas) as the blueprint
 *     would create them
 * @param report the posture report on {@code desiredState}
 * @param blockingSeverity the lowest severity whose failures block
 * @param blocking the active failures at or above {@code blockingSeverity}, in report order
 * @param overridden the failures let through by an override, each suppressed with its reason
 * @param overridesApplied the overrides that let a failure through
 * @param overridesUnused the overrides of rules that did not fail (recorded, but nothing needed
 *     them)
 */
public record BlueprintValidation(
    BuiltKeyPolicy policy,
    AccountSnapshot desiredState,
    PostureReport report,
    Severity blockingSeverity,
    List<Finding> blocking,
    List<Finding> overridden,
    List<InsecureOverride> overridesApplied,
    List<InsecureOverride> overridesUnused) {

  /** Copies the lists. */
  public BlueprintValidation {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(desiredState, "desiredState");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(blockingSeverity, "blockingSeverity");
    blocking = List.copyOf(blocking);
    overridden = List.copyOf(overridden);
    overridesApplied = List.copyOf(overridesApplied);
    overridesUnused = List.copyOf(overridesUnused);
  }

  /** Returns whether no failure at or above the blocking severity remains. */
  public boolean passed() {
    return blocking.isEmpty();
  }

  /**
   * Returns this validation if it passed.
   *
   * @throws InsecureBlueprintException if a blocking failure remains; it carries the findings
   */
  public BlueprintValidation requirePassed() {
    if (!passed()) {
      throw new InsecureBlueprintException(this);
    }
    return this;
  }
}
