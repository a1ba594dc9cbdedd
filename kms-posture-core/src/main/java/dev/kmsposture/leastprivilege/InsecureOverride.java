package dev.kmsposture.leastprivilege;

import java.util.Objects;

/**
 * A written, greppable acknowledgement that lets one kind of blocking finding through {@link
 * KeyPolicyBuilder#build()}. The finding stays in the built result, downgraded to {@link
 * BuilderFinding.Code#INSECURE_OVERRIDE} with the reason, so the weakness is never silent.
 *
 * <pre>{@code
 * KeyPolicyBuilder.forAccount(account)
 *     .insecureAddStatement(legacyStatement, "vendor tool needs kms:* until TICKET-123 lands")
 *     .insecureOverride(InsecureOverride.acknowledging(
 *         BuilderFinding.Code.KMS_ALL_OUTSIDE_BREAK_GLASS, "TICKET-123"))
 *     .build();
 * }</pre>
 *
 * @param code the kind of finding to let through
 * @param reason why, in words a reviewer can check (an ADR or ticket reference)
 */
public record InsecureOverride(BuilderFinding.Code code, String reason) {

  /**
   * Checks that the reason is written.
   *
   * @throws IllegalArgumentException if the reason is blank
   */
  public InsecureOverride {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException(
          String.format(
              "the reason for overriding [%s] is blank; write why the weaker policy is acceptable",
              code));
    }
  }

  /**
   * Returns an override that lets findings of {@code code} through, for {@code reason}.
   *
   * @throws IllegalArgumentException if the reason is blank
   */
  public static InsecureOverride acknowledging(BuilderFinding.Code code, String reason) {
    return new InsecureOverride(code, reason);
  }
}
