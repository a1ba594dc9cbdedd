package dev.kmsposture.aws.provision;

import dev.kmsposture.blueprint.BlueprintValidation;
import dev.kmsposture.blueprint.KeyBlueprint;
import dev.kmsposture.policy.AccountId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The exact KMS calls that create a key from a {@link KeyBlueprint}, or that make an existing key
 * match it, in order, with their parameters — made by {@link KeyProvisioner#plan(KeyBlueprint)}
 * before any call that changes anything, and executed by {@link KeyProvisioner#apply}.
 *
 * <p>A plan for a new key is {@code CreateKey} (policy, description, spec, usage, tags with the run
 * tag, multi-Region; never {@code BypassPolicyLockoutSafetyCheck}), {@code CreateAlias}, {@code
 * EnableKeyRotation} with the period where the key rotates, and per replica {@code ReplicateKey}
 * (with the replica's policy, description and tags) and {@code CreateAlias} in the replica's
 * Region. A plan for a key that already exists behind the alias holds only the calls that converge
 * it; a plan with no calls ({@link #isEmpty()}) means the key already matches, and applying it only
 * reads.
 *
 * <p>Plans are values: {@link #equals(Object)} compares what the plan would do (calls, key, caller,
 * account, Region, run), and {@link #toString()} prints it for a person to review.
 */
public final class ProvisioningPlan {
  private final KeyBlueprint blueprint;
  private final BlueprintValidation validation;
  private final String caller;
  private final String callerSource;
  private final AccountId account;
  private final String partition;
  private final String region;
  private final String runId;
  private final @Nullable String existingKeyArn;
  private final SortedMap<String, String> existingReplicas;
  private final List<PlannedCall> calls;
  private final List<String> verification;
  private final List<String> checkedActions;
  private final List<String> iamActions;
  private final List<String> notes;

  ProvisioningPlan(
      KeyBlueprint blueprint,
      BlueprintValidation validation,
      String caller,
      String callerSource,
      AccountId account,
      String partition,
      String region,
      String runId,
      @Nullable String existingKeyArn,
      Map<String, String> existingReplicas,
      List<PlannedCall> calls,
      List<String> verification,
      List<String> checkedActions,
      List<String> iamActions,
      List<String> notes) {
    this.blueprint = Objects.requireNonNull(blueprint, "blueprint");
    this.validation = Objects.requireNonNull(validation, "validation");
    this.caller = Objects.requireNonNull(caller, "caller");
    this.callerSource = Objects.requireNonNull(callerSource, "callerSource");
    this.account = Objects.requireNonNull(account, "account");
    this.partition = Objects.requireNonNull(partition, "partition");
    this.region = Objects.requireNonNull(region, "region");
    this.runId = Objects.requireNonNull(runId, "runId");
    this.existingKeyArn = existingKeyArn;
    this.existingReplicas =
        java.util.Collections.unmodifiableSortedMap(new TreeMap<>(existingReplicas));
    this.calls = List.copyOf(calls);
    this.verification = List.copyOf(verification);
    this.checkedActions = List.copyOf(checkedActions);
    this.iamActions = List.copyOf(iamActions);
    this.notes = List.copyOf(notes);
  }

  /** Returns the blueprint the plan realises. */
  public KeyBlueprint blueprint() {
    return blueprint;
  }

  /**
   * Returns what the posture rules said about the blueprint (it passed, or a plan would not exist).
   */
  public BlueprintValidation validation() {
    return validation;
  }

  /** Returns the key policy the plan sends (canonical JSON). */
  public String policy() {
    return validation.policy().toJson();
  }

  /** Returns the principal that will make the calls. */
  public String caller() {
    return caller;
  }

  /** Returns where the caller came from: {@code STS GetCallerIdentity} or {@code given}. */
  public String callerSource() {
    return callerSource;
  }

  /** Returns the key's account. */
  public AccountId account() {
    return account;
  }

  /** Returns the partition. */
  public String partition() {
    return partition;
  }

  /** Returns the Region of the key (the primary's, for a multi-Region key). */
  public String region() {
    return region;
  }

  /** Returns the provisioning run: the value of the run tag on every key the plan creates. */
  public String runId() {
    return runId;
  }

  /** Returns the ARN of the key behind the alias, when it already exists. */
  public Optional<String> existingKeyArn() {
    return Optional.ofNullable(existingKeyArn);
  }

  /** Returns the existing replicas of an existing multi-Region key, by Region. */
  public SortedMap<String, String> existingReplicas() {
    return existingReplicas;
  }

  /** Returns the calls, in the order they are made. */
  public List<PlannedCall> calls() {
    return calls;
  }

  /** Returns whether the plan makes no call: the key already matches the blueprint. */
  public boolean isEmpty() {
    return calls.isEmpty();
  }

  /** Returns whether the plan creates the key ({@code CreateKey} is its first call). */
  public boolean createsKey() {
    return !calls.isEmpty() && calls.get(0) instanceof PlannedCall.CreateKey;
  }

  /** Returns the reads that verify the result after the calls. */
  public List<String> verification() {
    return verification;
  }

  /**
   * Returns the key-policy actions the access evaluator confirmed the caller may use: every call of
   * the plan, its verification and its cleanup, and {@code PutKeyPolicy} (KMS's lockout check).
   */
  public List<String> checkedActions() {
    return checkedActions;
  }

  /**
   * Returns the actions only the caller's IAM policies can allow (the key policy has no say in
   * them): the plan needs them, and the provisioner cannot check them before calling.
   */
  public List<String> iamActions() {
    return iamActions;
  }

  /**
   * Returns what the reader of the plan should know (an administrator added, a replica kept, …).
   */
  public List<String> notes() {
    return notes;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProvisioningPlan p
        && calls.equals(p.calls)
        && caller.equals(p.caller)
        && account.equals(p.account)
        && region.equals(p.region)
        && runId.equals(p.runId)
        && Objects.equals(existingKeyArn, p.existingKeyArn)
        && existingReplicas.equals(p.existingReplicas);
  }

  @Override
  public int hashCode() {
    return Objects.hash(calls, caller, account, region, runId, existingKeyArn, existingReplicas);
  }

  /**
   * Returns the plan for a person: what it creates or changes, call by call, and what it checked.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("Plan for ")
        .append(blueprint.alias())
        .append(" in account ")
        .append(account)
        .append(", ")
        .append(region)
        .append('\n');
    sb.append("  caller: ").append(caller).append(" (").append(callerSource).append(")\n");
    sb.append("  provisioning run: ").append(runId).append('\n');
    sb.append("  validation: passed with no failure at or above ")
        .append(validation.blockingSeverity());
    if (!validation.overridesApplied().isEmpty()) {
      sb.append("; overridden: ");
      List<String> o = new ArrayList<>();
      validation.overridesApplied().forEach(x -> o.add(x.subject() + " (" + x.reason() + ")"));
      sb.append(String.join(", ", o));
    }
    sb.append('\n');
    if (existingKeyArn != null) {
      sb.append("  existing key: ").append(existingKeyArn).append('\n');
    }
    if (calls.isEmpty()) {
      sb.append("  calls: none; the key already matches the blueprint\n");
    } else {
      sb.append("  calls (").append(calls.size()).append("):\n");
      for (int i = 0; i < calls.size(); i++) {
        sb.append("    ").append(i + 1).append(". ").append(calls.get(i)).append('\n');
      }
    }
    sb.append("  then verified with: ").append(String.join(", ", verification)).append('\n');
    sb.append("  the key policy lets the caller: ")
        .append(String.join(", ", checkedActions))
        .append('\n');
    if (!iamActions.isEmpty()) {
      sb.append("  IAM must allow the caller: ").append(String.join(", ", iamActions)).append('\n');
    }
    for (String n : notes) {
      sb.append("  note: ").append(n).append('\n');
    }
    return sb.toString();
  }
}
