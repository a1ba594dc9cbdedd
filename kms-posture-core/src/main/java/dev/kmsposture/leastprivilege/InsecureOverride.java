package dev.kmsposture.leastprivilege;

import dev.kmsposture.rules.RuleId;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A written, greppable acknowledgement that lets one kind of blocking finding through: a {@link
 * BuilderFinding.Code kind of builder finding} through {@link KeyPolicyBuilder#build()}, or a
 * {@link RuleId posture rule}'s failure through the validation of a key blueprint (the provisioner
 * judges a blueprint with the same rules as every other key). The finding is never dropped: the
 * builder keeps it, downgraded to {@link BuilderFinding.Code#INSECURE_OVERRIDE} with the reason,
 * and a blueprint's validation keeps it suppressed with the reason, so the weakness is never
 * silent.
 *
 * <pre>{@code
 * KeyPolicyBuilder.forAccount(account)
 *     .insecureAddStatement(legacyStatement, "vendor tool needs kms:* until TICKET-123 lands")
 *     .insecureOverride(InsecureOverride.acknowledging(
 *         BuilderFinding.Code.KMS_ALL_OUTSIDE_BREAK_GLASS, "TICKET-123"))
 *     .build();
 *
 * KeyBlueprint.builder()
 *     ...
 *     .insecureOverride(InsecureOverride.acknowledging(
 *         RuleId.of("MultiRegionKeyUnjustified"), "ADR-42: replicas outside the allowed Regions"));
 * }</pre>
 *
 * <p>An override acknowledges either a builder finding code or a rule, never both. Two overrides
 * are equal when they acknowledge the same thing for the same reason.
 */
public final class InsecureOverride {
  private final BuilderFinding.@Nullable Code code;
  private final @Nullable RuleId rule;
  private final String reason;

  private InsecureOverride(
      BuilderFinding.@Nullable Code code, @Nullable RuleId rule, String reason) {
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException(
          String.format(
              "the reason for overriding [%s] is blank; write why the weaker %s is acceptable",
              code != null ? code : rule, code != null ? "policy" : "key"));
    }
    this.code = code;
    this.rule = rule;
    this.reason = reason;
  }

  /**
   * Returns an override that lets findings of {@code code} through {@link
   * KeyPolicyBuilder#build()}, for {@code reason}.
   *
   * @throws IllegalArgumentException if the reason is blank
   */
  public static InsecureOverride acknowledging(BuilderFinding.Code code, String reason) {
    return new InsecureOverride(Objects.requireNonNull(code, "code"), null, reason);
  }

  /**
   * Returns an override that lets failures of the posture rule {@code rule} through the validation
   * of a key blueprint, for {@code reason}. The failure stays in the validation report, suppressed
   * with the reason, and the provisioned key's ADR lists it.
   *
   * @throws IllegalArgumentException if the reason is blank
   */
  public static InsecureOverride acknowledging(RuleId rule, String reason) {
    return new InsecureOverride(null, Objects.requireNonNull(rule, "rule"), reason);
  }

  /** Returns the kind of builder finding this override lets through; empty for a rule override. */
  public Optional<BuilderFinding.Code> code() {
    return Optional.ofNullable(code);
  }

  /** Returns the posture rule this override lets through; empty for a builder-finding override. */
  public Optional<RuleId> rule() {
    return Optional.ofNullable(rule);
  }

  /** Returns the written reason. */
  public String reason() {
    return reason;
  }

  /** Returns what is overridden: the builder finding code's name or the rule id. */
  public String subject() {
    return code != null ? code.name() : String.valueOf(rule);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof InsecureOverride other
        && Objects.equals(code, other.code)
        && Objects.equals(rule, other.rule)
        && reason.equals(other.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, rule, reason);
  }

  @Override
  public String toString() {
    return "InsecureOverride[" + subject() + ", reason=" + reason + "]";
  }
}
