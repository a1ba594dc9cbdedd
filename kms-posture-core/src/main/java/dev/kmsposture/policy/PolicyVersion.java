package dev.kmsposture.policy;

import java.util.Optional;

/**
 * The policy language version in a policy's {@code Version} element. KMS accepts exactly two.
 *
 * <p>Under {@link #V2008_10_17} policy variables such as {@code ${aws:username}} are not supported
 * and are read as literal text. A policy without a {@code Version} element is evaluated with the
 * 2008 rules, which is why {@link KeyPolicy} never fills one in.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html">IAM
 *     JSON policy elements: Version</a>
 */
public enum PolicyVersion {
  /** The current policy language; policy variables are substituted. */
  V2012_10_17("2012-10-17"),
  /** The original policy language; {@code ${…}} is literal text. */
  V2008_10_17("2008-10-17");

  private final String text;

  PolicyVersion(String text) {
    this.text = text;
  }

  /** Returns the version as written in JSON, for example {@code 2012-10-17}. */
  public String text() {
    return text;
  }

  /**
   * Returns whether this version substitutes policy variables ({@code ${aws:username}} and
   * friends).
   */
  public boolean supportsPolicyVariables() {
    return this == V2012_10_17;
  }

  /**
   * Returns the version whose JSON text is {@code text}, or empty when KMS does not accept it.
   *
   * @param text the value of the {@code Version} element
   */
  public static Optional<PolicyVersion> fromText(String text) {
    for (PolicyVersion v : values()) {
      if (v.text.equals(text)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
