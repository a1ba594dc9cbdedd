package dev.kmsposture.prover;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A request that answers a question with yes: who calls, which action, with which request context,
 * and how the policy (or, for a diff, the old and the new policy) decides it. {@link
 * #toAccessRequest()} gives the request to replay through {@link
 * dev.kmsposture.access.KeyAccessEvaluator}; the prover has already done so, and {@link
 * #explanation()} is the evaluator's own explanation of its decision.
 *
 * @param principal the caller: an ARN, an AWS service principal name, or {@code anonymous}
 * @param rolePath the path of a session caller's role ({@code /} or {@code /a/b/}); null when the
 *     caller is not a session, or (in {@link RequestSpace#EVALUATOR}) when the path is not given
 * @param permissionsBoundary whether the caller has a permissions boundary (it matters only for a
 *     Deny with {@code NotPrincipal})
 * @param action the action requested
 * @param keyArn the key the request acts on
 * @param context the request context, by key as the policy spells it, sorted; the keys that follow
 *     from the principal are not listed (the evaluator derives them)
 * @param allowance how the policy (for a diff: the new policy) decides the request
 * @param previousAllowance for a diff, how the old policy decides it; null otherwise
 * @param explanation the evaluator's explanation of the (new) policy's decision
 */
public record Witness(
    String principal,
    @Nullable String rolePath,
    boolean permissionsBoundary,
    KmsAction action,
    String keyArn,
    Map<String, List<String>> context,
    Allowance allowance,
    @Nullable Allowance previousAllowance,
    String explanation) {

  /** Copies the context and checks the parts. */
  public Witness {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(keyArn, "keyArn");
    Objects.requireNonNull(allowance, "allowance");
    Objects.requireNonNull(explanation, "explanation");
    TreeMap<String, List<String>> copy = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      copy.put(e.getKey(), List.copyOf(e.getValue()));
    }
    context = Collections.unmodifiableMap(copy);
  }

  /** Returns the request, ready for {@link dev.kmsposture.access.KeyAccessEvaluator#evaluate}. */
  public AccessRequest toAccessRequest() {
    AccessRequest.Builder b =
        AccessRequest.builder()
            .principal(principal)
            .action(action)
            .resource(keyArn)
            .permissionsBoundary(permissionsBoundary);
    if (rolePath != null) {
      b.rolePath(rolePath);
    }
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      b.putContext(e.getKey(), e.getValue());
    }
    return b.build();
  }

  /**
   * Returns the request in one line, such as {@code arn:aws:sts::444455556666:assumed-role/r/s
   * (role path /) kms:Decrypt [aws:SourceVpce=vpce-1] -> ALLOWED_IF_IAM_ALLOWS}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(128);
    sb.append(principal);
    if (rolePath != null) {
      sb.append(" (role path ").append(rolePath).append(')');
    }
    if (permissionsBoundary) {
      sb.append(" (with a permissions boundary)");
    }
    sb.append(' ').append(action.name()).append(" [");
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : context.entrySet()) {
      List<String> v = e.getValue();
      parts.add(e.getKey() + "=" + (v.size() == 1 ? v.get(0) : v.toString()));
    }
    sb.append(parts.isEmpty() ? "no request context" : String.join(", ", parts)).append("] -> ");
    if (previousAllowance != null) {
      sb.append(previousAllowance).append(" -> ");
    }
    return sb.append(allowance).toString();
  }
}
