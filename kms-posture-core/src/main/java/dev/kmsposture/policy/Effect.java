package dev.kmsposture.policy;

/**
 * The effect of a policy statement: {@code Allow} or {@code Deny}. The IAM grammar fixes this set,
 * so any other value is a parse error.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html">IAM
 *     JSON policy elements: Effect</a>
 */
public enum Effect {
  /** The statement grants what it names. */
  ALLOW("Allow"),
  /** The statement refuses what it names; an explicit deny overrides every allow. */
  DENY("Deny");

  private final String jsonName;

  Effect(String jsonName) {
    this.jsonName = jsonName;
  }

  /** Returns the spelling used in policy JSON ({@code Allow} or {@code Deny}). */
  public String jsonName() {
    return jsonName;
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
