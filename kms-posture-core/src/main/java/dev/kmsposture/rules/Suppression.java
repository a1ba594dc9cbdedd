package dev.kmsposture.rules;

import dev.kmsposture.internal.glob.Glob;
import java.time.LocalDate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Accepts a known finding for a written reason: the finding stays in the report, marked suppressed,
 * with the reason printed beside it. Suppressions may expire.
 *
 * @param ruleId the rule, or {@code *} for every rule
 * @param keyPattern a pattern ({@code *} and {@code ?}) matched against the key ARN and each alias
 *     name, e.g. {@code alias/legacy-*}
 * @param reason why the finding is accepted; required
 * @param expires the last day the suppression applies, or null for no end
 */
public record Suppression(
    String ruleId, String keyPattern, String reason, @Nullable LocalDate expires) {

  /** Checks that a reason is given. */
  public Suppression {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(keyPattern, "keyPattern");
    Objects.requireNonNull(reason, "reason");
    if (reason.isBlank()) {
      throw new IllegalArgumentException(
          String.format(
              "suppression of [%s] on [%s] has no reason; a suppression must say why the finding is"
                  + " accepted",
              ruleId, keyPattern));
    }
    if (!ruleId.equals("*")) {
      RuleId.of(ruleId);
    }
  }

  /**
   * Returns whether this suppression covers a finding of {@code rule} on a key with {@code keyArn}
   * and {@code aliases}, on {@code today}.
   */
  public boolean covers(
      RuleInfo rule, @Nullable String keyArn, java.util.List<String> aliases, LocalDate today) {
    if (expires != null && today.isAfter(expires)) {
      return false;
    }
    boolean ruleMatches =
        ruleId.equals("*")
            || ruleId.equals(rule.id().value())
            || rule.aliases().stream().anyMatch(a -> a.value().equals(ruleId));
    if (!ruleMatches) {
      return false;
    }
    if (keyArn != null && Glob.matches(keyPattern, keyArn, false)) {
      return true;
    }
    for (String alias : aliases) {
      if (Glob.matches(keyPattern, alias, false)) {
        return true;
      }
    }
    return keyArn == null && keyPattern.equals("*");
  }
}
