package dev.kmsposture.access;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request that proves a verdict of {@link AccessAnalysis}: the evaluator decides it as {@link
 * #decision()} says, so {@code kms-posture evaluate} with the same principal, action and context
 * gives the same answer.
 *
 * @param request the request
 * @param decision the evaluator's decision on it, for the whole key policy
 */
public record Witness(AccessRequest request, Decision decision) {

  /** Checks the parts. */
  public Witness {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(decision, "decision");
  }

  /**
   * Returns the request as people read it: {@code arn:aws:iam::999999999999:root calls kms:Decrypt
   * with aws:SourceIp=203.0.113.9}, or {@code … with no request context}.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(request.principal());
    if (request.hasPermissionsBoundary()) {
      sb.append(" (with a permissions boundary)");
    }
    sb.append(" calls ").append(request.action().name());
    Map<String, List<String>> context = request.context();
    if (context.isEmpty() && request.unknownContext().isEmpty()) {
      return sb.append(" with no request context").toString();
    }
    sb.append(" with ");
    boolean first = true;
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      List<String> v = e.getValue();
      sb.append(e.getKey()).append('=').append(v.size() == 1 ? v.get(0) : v.toString());
    }
    for (String k : request.unknownContext()) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(k).append(" whatever its value");
    }
    return sb.toString();
  }

  /**
   * Returns the request and how the evaluator decides it, as messages say it: {@code
   * arn:aws:iam::999999999999:root calls kms:Decrypt with no request context and is allowed}, or
   * {@code … and is allowed if its IAM policies allow it}.
   */
  public String summary() {
    Decision d = decision;
    String how =
        d.isAllowed()
            ? " and is allowed"
            : d.outcome() == Decision.Outcome.IMPLICITLY_DENIED && d.delegatedToIam()
                ? " and is allowed if its IAM policies allow it"
                : " and is refused";
    return describe() + how;
  }
}
