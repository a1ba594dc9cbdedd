package dev.kmsposture.aws.provision;

import java.util.List;
import java.util.Objects;

/**
 * A key a failed provisioning run left behind, and what the provisioner did about it.
 *
 * @param arn the key ARN
 * @param region the key's Region
 * @param replica whether it is a multi-Region replica
 * @param state the key state after the clean-up, as last read or set ({@code PendingDeletion},
 *     {@code Disabled}, {@code Enabled}, …), or {@code unknown} when it could not be told
 * @param runTagged whether it carries the provisioning run tag (every key the provisioner creates
 *     does, from its first call)
 * @param steps what the clean-up did, in order, each step with its outcome, such as {@code tagged
 *     kms-posture:provisioning-failed}, {@code disabled}, {@code deletion scheduled in 7 days}, or
 *     {@code DisableKey failed: AccessDeniedException …}
 */
public record LeftoverKey(
    String arn,
    String region,
    boolean replica,
    String state,
    boolean runTagged,
    List<String> steps) {
  /** Copies the steps. */
  public LeftoverKey {
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(state, "state");
    steps = List.copyOf(steps);
  }

  /** Returns whether the key is disabled or on its way to deletion: nothing can use it. */
  public boolean isUnusable() {
    return state.equals("Disabled")
        || state.equals("PendingDeletion")
        || state.equals("PendingReplicaDeletion");
  }

  /** Returns the key as one line: ARN, Region, state and the clean-up steps. */
  @Override
  public String toString() {
    return String.format(
        "%s (%s%s) is %s%s: %s",
        arn,
        region,
        replica ? ", replica" : "",
        state,
        runTagged ? ", run-tagged" : ", NOT run-tagged",
        String.join("; ", steps));
  }
}
