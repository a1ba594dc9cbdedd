package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import java.util.Objects;

/**
 * One representative request whose decision differs between two key policies, as found by {@link
 * AccessDiff}.
 *
 * @param principal the calling principal of the request (an ARN, a service principal or {@code
 *     anonymous})
 * @param action the action requested
 * @param context the request context in words, such as {@code kms:ViaService=s3.amazonaws.com}, or
 *     {@code no request context}
 * @param oldDecision the decision under the old policy
 * @param newDecision the decision under the new policy
 */
public record AccessChange(
    String principal,
    KmsAction action,
    String context,
    Decision oldDecision,
    Decision newDecision) {

  /** Validates the parts. */
  public AccessChange {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(oldDecision, "oldDecision");
    Objects.requireNonNull(newDecision, "newDecision");
  }

  /** Returns whether the new policy grants more than the old for this request. */
  public boolean isGain() {
    return AccessDiff.level(newDecision) > AccessDiff.level(oldDecision);
  }

  /** Returns the change in words: {@code denied → allowed if IAM allows}. */
  public String transition() {
    return AccessDiff.levelName(oldDecision) + " -> " + AccessDiff.levelName(newDecision);
  }

  @Override
  public String toString() {
    return (isGain() ? "+ " : "- ")
        + principal
        + " "
        + action
        + " ["
        + context
        + "]: "
        + transition();
  }
}
