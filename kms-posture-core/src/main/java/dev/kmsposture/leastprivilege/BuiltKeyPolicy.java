package dev.kmsposture.leastprivilege;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.rules.Severity;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What {@link KeyPolicyBuilder#build()} returns: the key policy and the findings that travel with
 * it. A built policy never has a blocking finding; it may carry documented weaknesses ({@link
 * Severity#RECOMMENDED}: the AWS default root delegation, an acknowledged administrator who can
 * also use the key, an {@code Insecure…} statement or override, each with its reason) and notes
 * ({@link Severity#OPTIONAL}).
 *
 * @param policy the key policy
 * @param findings the findings, most severe first, then by code and message
 */
public record BuiltKeyPolicy(KeyPolicy policy, List<BuilderFinding> findings) {

  /**
   * Copies the findings.
   *
   * @throws IllegalArgumentException if a finding is blocking
   */
  public BuiltKeyPolicy {
    Objects.requireNonNull(policy, "policy");
    findings = List.copyOf(findings);
    for (BuilderFinding f : findings) {
      if (f.isBlocking()) {
        throw new IllegalArgumentException(
            String.format("a built policy cannot carry the blocking finding [%s]", f));
      }
    }
  }

  /** Returns the findings of {@code severity}. */
  public List<BuilderFinding> findings(Severity severity) {
    Objects.requireNonNull(severity, "severity");
    return findings.stream().filter(f -> f.severity() == severity).collect(Collectors.toList());
  }

  /** Returns the findings of {@code code}. */
  public List<BuilderFinding> findings(BuilderFinding.Code code) {
    Objects.requireNonNull(code, "code");
    return findings.stream().filter(f -> f.code() == code).collect(Collectors.toList());
  }

  /** Returns the policy's canonical JSON ({@link KeyPolicy#toJson()}). */
  public String toJson() {
    return policy.toJson();
  }
}
