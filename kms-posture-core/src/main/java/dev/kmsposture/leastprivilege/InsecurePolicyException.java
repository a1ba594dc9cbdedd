package dev.kmsposture.leastprivilege;

import dev.kmsposture.rules.Severity;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link KeyPolicyBuilder#build()} when the policy it would build has a blocking ({@link
 * Severity#CRITICAL}) finding: it would be public, lock everyone (or the caller) out, let a
 * principal both administer and use the key, exceed 32 KB, or give {@code kms:*} to anyone but the
 * break-glass statement.
 *
 * <p>The message lists the blocking findings; {@link #findings()} returns all of them (blocking
 * first), so a caller can show them or decide on an {@link InsecureOverride}.
 */
public final class InsecurePolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  // Findings are values of this library; the exception is not meant to be serialized with them.
  private final transient List<BuilderFinding> findings;

  /**
   * Creates the exception.
   *
   * @param findings the findings, at least one of them blocking
   * @throws IllegalArgumentException if no finding is blocking
   */
  public InsecurePolicyException(List<BuilderFinding> findings) {
    super(message(findings));
    this.findings = List.copyOf(findings);
  }

  private static String message(List<BuilderFinding> findings) {
    List<BuilderFinding> blocking =
        findings.stream().filter(BuilderFinding::isBlocking).collect(Collectors.toList());
    if (blocking.isEmpty()) {
      throw new IllegalArgumentException(
          "an insecure-policy exception needs at least one blocking (CRITICAL) finding");
    }
    return "refusing to build an insecure key policy: "
        + blocking.stream().map(BuilderFinding::toString).collect(Collectors.joining("; "));
  }

  /** Returns every finding of the refused policy, blocking findings first. */
  public List<BuilderFinding> findings() {
    return findings == null ? List.of() : findings;
  }

  /** Returns only the findings that blocked the build. */
  public List<BuilderFinding> blockingFindings() {
    return findings().stream().filter(BuilderFinding::isBlocking).collect(Collectors.toList());
  }
}
