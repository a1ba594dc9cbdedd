package dev.kmsposture.aws.provision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a key (with its replicas, for a multi-Region key) stands on the way to deletion, and
 * whether {@link KeyRetirement#scheduleDeletion(String)} would go ahead.
 *
 * @param arn the key's ARN (the primary's, for a multi-Region key)
 * @param members the key and its replicas, primary first, each with its state
 * @param disabledAt when the key was disabled (the latest of its members), empty when unknown or
 *     not disabled
 * @param disabledAtSource how {@code disabledAt} was learnt ({@code tag}, {@code CloudTrail
 *     DisableKey}), or why it is not known
 * @param useAttemptsAfterDisable calls that failed because the key was disabled (CloudTrail events
 *     with {@code DisabledException} or {@code KMSInvalidStateException}) since then
 * @param usesAfterDisable cryptographic calls that succeeded since then (the key was re-enabled)
 * @param exempt whether every member is a never-used leftover of a failed provisioning run, which
 *     the cycle does not apply to
 * @param refusals why deletion would be refused now; empty when it would go ahead
 * @param waitingForReplicas the replica ARNs a primary in {@code PendingReplicaDeletion} waits for
 */
public record RetirementStatus(
    String arn,
    List<Member> members,
    Optional<Instant> disabledAt,
    String disabledAtSource,
    int useAttemptsAfterDisable,
    int usesAfterDisable,
    boolean exempt,
    List<String> refusals,
    List<String> waitingForReplicas) {

  /**
   * One key of the set.
   *
   * @param arn its ARN
   * @param region its Region
   * @param replica whether it is a multi-Region replica
   * @param state its key state ({@code Enabled}, {@code Disabled}, {@code PendingDeletion}, …)
   */
  public record Member(String arn, String region, boolean replica, String state) {
    /** Checks the fields. */
    public Member {
      Objects.requireNonNull(arn, "arn");
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(state, "state");
    }
  }

  /** Copies the lists. */
  public RetirementStatus {
    Objects.requireNonNull(arn, "arn");
    members = List.copyOf(members);
    Objects.requireNonNull(disabledAt, "disabledAt");
    Objects.requireNonNull(disabledAtSource, "disabledAtSource");
    refusals = List.copyOf(refusals);
    waitingForReplicas = List.copyOf(waitingForReplicas);
  }

  /** Returns whether scheduling the deletion would go ahead now. */
  public boolean deletionAllowed() {
    return refusals.isEmpty();
  }

  /** Returns the primary's (or the single-Region key's) state. */
  public String state() {
    return members.get(0).state();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(arn).append(": ");
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      b.append(i == 0 ? "" : ", ")
          .append(m.replica() ? "replica in " : "")
          .append(m.replica() ? m.region() + " " : "")
          .append(m.state());
    }
    b.append("; disabled at ")
        .append(disabledAt.map(Instant::toString).orElse("unknown"))
        .append(" (")
        .append(disabledAtSource)
        .append(")");
    b.append("; ").append(useAttemptsAfterDisable).append(" use attempts after disable");
    if (usesAfterDisable > 0) {
      b.append(", ").append(usesAfterDisable).append(" successful uses after disable");
    }
    if (exempt) {
      b.append("; never-used leftover of a failed provisioning run");
    }
    if (!waitingForReplicas.isEmpty()) {
      b.append("; PendingReplicaDeletion, waiting for ").append(waitingForReplicas);
    }
    b.append(
        refusals.isEmpty()
            ? "; deletion allowed"
            : "; deletion refused: " + String.join("; ", refusals));
    return b.toString();
  }
}
