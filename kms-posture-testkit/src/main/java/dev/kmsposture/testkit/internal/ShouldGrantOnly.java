package dev.kmsposture.testkit.internal;

import dev.kmsposture.policy.KeyPolicy;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** The message of a failed {@code grantsOnly(…)}: who else the policy grants, and where. */
public final class ShouldGrantOnly extends BasicErrorMessageFactory {
  private ShouldGrantOnly(KeyPolicy policy, List<String> expected, List<String> unexpected) {
    super(
        "%nExpecting policy:%n  %s%nto grant access only to:%n  %s%nbut it also grants access to:%n%s",
        unquotedString(Rendering.policy(policy)),
        unquotedString(expected.toString()),
        unquotedString(Rendering.lines(unexpected)));
  }

  /**
   * The message when the policy grants access to others than {@code expected}; {@code unexpected}
   * holds one line per other grantee and statement.
   */
  public static ErrorMessageFactory shouldGrantOnly(
      KeyPolicy policy, List<String> expected, List<String> unexpected) {
    return new ShouldGrantOnly(policy, expected, unexpected);
  }
}
