package dev.kmsposture.blueprint;

import dev.kmsposture.rules.Finding;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a blueprint would create a key that the posture rules fail at or above the blocking
 * severity. It carries the findings; the only way past a finding is an {@code
 * InsecureOverride.acknowledging(RuleId, reason)} on the blueprint.
 */
public final class InsecureBlueprintException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  // Findings are values of this library; the exception is not meant to be serialized with them.
  private final transient BlueprintValidation validation;

  /**
   * Creates the exception.
   *
   * @param validation a validation that did not pass
   * @throws IllegalArgumentException if the validation passed
   */
  public InsecureBlueprintException(BlueprintValidation validation) {
    super(message(validation));
    this.validation = validation;
  }

  private static String message(BlueprintValidation v) {
    if (v.passed()) {
      throw new IllegalArgumentException(
          "an insecure-blueprint exception needs a failed validation");
    }
    return String.format(
        "refusing to create the key: %d finding%s at or above %s (override one only with"
            + " InsecureOverride.acknowledging(RuleId, reason)): %s",
        v.blocking().size(),
        v.blocking().size() == 1 ? "" : "s",
        v.blockingSeverity(),
        v.blocking().stream()
            .map(f -> f.severity() + " " + f.ruleId() + ": " + f.message())
            .collect(Collectors.joining("; ")));
  }

  /** Returns the validation that failed. */
  public BlueprintValidation validation() {
    return validation;
  }

  /** Returns the findings that blocked the blueprint. */
  public List<Finding> findings() {
    return validation == null ? List.of() : validation.blocking();
  }
}
