package dev.kmsposture.aws.provision;

import dev.kmsposture.blueprint.KeyBlueprint;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A key the provisioner created, or found and made to match its blueprint, and what it verified by
 * reading the key back.
 *
 * <p>{@link #verified()} lists every property that was read back and matched; {@link #warnings()}
 * lists what could not be verified here (a property the endpoint did not return — some
 * KMS-compatible emulators leave out the rotation period — is neither verified nor a failure) and
 * anything else worth knowing (a lost {@code CreateKey} answer whose key was found by its run tag).
 * {@link #adr()} renders the key's architecture decision record.
 */
public final class ProvisionedKey {
  private final String arn;
  private final ProvisioningPlan plan;
  private final SortedMap<String, String> replicas;
  private final boolean created;
  private final List<PlannedCall> calls;
  private final List<String> verified;
  private final List<String> warnings;

  ProvisionedKey(
      String arn,
      ProvisioningPlan plan,
      SortedMap<String, String> replicas,
      boolean created,
      List<PlannedCall> calls,
      List<String> verified,
      List<String> warnings) {
    this.arn = Objects.requireNonNull(arn, "arn");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.replicas = Collections.unmodifiableSortedMap(new TreeMap<>(replicas));
    this.created = created;
    this.calls = List.copyOf(calls);
    this.verified = List.copyOf(verified);
    this.warnings = List.copyOf(warnings);
  }

  /** Returns the key ARN (the primary's, for a multi-Region key). */
  public String arn() {
    return arn;
  }

  /** Returns the key id. */
  public String keyId() {
    return arn.substring(arn.lastIndexOf('/') + 1);
  }

  /** Returns the alias. */
  public String alias() {
    return plan.blueprint().alias().value();
  }

  /** Returns the key's Region. */
  public String region() {
    return plan.region();
  }

  /** Returns the replicas' ARNs by Region; empty for a single-Region key. */
  public SortedMap<String, String> replicas() {
    return replicas;
  }

  /** Returns whether this run created the key (false when it converged an existing one). */
  public boolean created() {
    return created;
  }

  /** Returns the calls that were made, in order; empty when the key already matched. */
  public List<PlannedCall> calls() {
    return calls;
  }

  /** Returns the properties read back and found as the blueprint says. */
  public List<String> verified() {
    return verified;
  }

  /** Returns what could not be verified here, and other things worth knowing. */
  public List<String> warnings() {
    return warnings;
  }

  /** Returns the plan that was applied. */
  public ProvisioningPlan plan() {
    return plan;
  }

  /** Returns the blueprint. */
  public KeyBlueprint blueprint() {
    return plan.blueprint();
  }

  /**
   * Returns the key's architecture decision record in Markdown, ready to commit next to the
   * infrastructure code: what data it protects, its blast radius, its owner, why customer managed,
   * why single- or multi-Region, the rotation cadence and the manual rotation runbook, CloudTrail
   * visibility, the key policy's roles, and every override with its reason.
   */
  public String adr() {
    return Adr.render(this);
  }

  @Override
  public String toString() {
    return String.format(
        "%s %s (%s)%s: %d call%s, %d properties verified%s",
        created ? "created" : "converged",
        alias(),
        arn,
        replicas.isEmpty() ? "" : " with replicas in " + replicas.keySet(),
        calls.size(),
        calls.size() == 1 ? "" : "s",
        verified.size(),
        warnings.isEmpty() ? "" : ", " + warnings.size() + " warnings");
  }
}
