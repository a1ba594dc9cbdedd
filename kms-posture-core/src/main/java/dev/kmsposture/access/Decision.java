package dev.kmsposture.access;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of evaluating one {@link AccessRequest}, with the statements that decided it and a
 * one-line explanation.
 *
 * <p>A decision is made with respect to the policies the evaluator was given; {@link
 * #notSupplied()} lists the policy types that AWS would also evaluate but that were not supplied
 * (service control policies, resource control policies, VPC endpoint policies, permissions
 * boundaries, session policies, and the caller's IAM policies when the decision rests on them).
 *
 * @param outcome allowed, explicitly denied or implicitly denied
 * @param delegatedToIam whether the decision rests on the key policy delegating to the caller's IAM
 *     policies (an Allow naming the account): true when those policies allowed, did not allow, or
 *     were not supplied
 * @param statements the statements that decided it: the denying statement, or the allowing
 *     statements (key policy, identity policy, grant); for an implicit denial, the nearest miss
 *     when there is one
 * @param explanation one line that names the deciding statements and why they applied
 * @param notSupplied the policy types not supplied that AWS would also evaluate
 */
public record Decision(
    Outcome outcome,
    boolean delegatedToIam,
    List<StatementRef> statements,
    String explanation,
    List<String> notSupplied) {

  /** How a request was decided. */
  public enum Outcome {
    /** A supplied policy or grant allows the request, and none denies it. */
    ALLOWED,
    /** A statement that applies to the request denies it. */
    EXPLICITLY_DENIED,
    /** No supplied policy or grant allows the request (IAM's default deny). */
    IMPLICITLY_DENIED
  }

  /** Copies the lists and checks the parts. */
  public Decision {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(explanation, "explanation");
    statements = List.copyOf(statements);
    notSupplied = List.copyOf(notSupplied);
  }

  /** Returns whether the request is allowed. */
  public boolean isAllowed() {
    return outcome == Outcome.ALLOWED;
  }
}
