package dev.kmsposture.testkit.internal;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.policy.KeyPolicy;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The message of a failed {@code allows(…)} or {@code denies(…)}: the policy, the request, how it
 * was decided, the deciding statement (index, Sid, JSON Pointer and JSON) and the evaluator's
 * explanation.
 */
public final class ShouldDecideRequest extends BasicErrorMessageFactory {
  private static final String FORMAT =
      "%nExpecting policy:%n  %s%nto %s:%n  %s%nbut it is %s; %s%nbecause: %s";

  private ShouldDecideRequest(
      KeyPolicy policy, String expectation, AccessRequest request, Decision decision) {
    super(
        FORMAT,
        unquotedString(Rendering.policy(policy)),
        unquotedString(expectation),
        unquotedString(Rendering.request(request)),
        unquotedString(Rendering.outcome(decision)),
        unquotedString(Rendering.decidingStatements(decision, policy)),
        unquotedString(decision.explanation()));
  }

  /** The message when the request should be allowed but is not. */
  public static ErrorMessageFactory shouldAllow(
      KeyPolicy policy, AccessRequest request, Decision decision) {
    return new ShouldDecideRequest(policy, "allow", request, decision);
  }

  /** The message when the request should be denied but is not. */
  public static ErrorMessageFactory shouldDeny(
      KeyPolicy policy, AccessRequest request, Decision decision) {
    return new ShouldDecideRequest(policy, "deny", request, decision);
  }
}
