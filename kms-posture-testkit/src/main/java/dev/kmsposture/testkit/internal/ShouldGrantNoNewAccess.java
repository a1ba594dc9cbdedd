package dev.kmsposture.testkit.internal;

import dev.kmsposture.policy.KeyPolicy;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** The message of a failed {@code grantsNoNewAccessComparedTo(…)}: the access the change adds. */
public final class ShouldGrantNoNewAccess extends BasicErrorMessageFactory {
  private ShouldGrantNoNewAccess(KeyPolicy policy, KeyPolicy old, List<String> added) {
    super(
        "%nExpecting policy:%n  %s%nto grant no access that the old policy:%n  %s%ndid not grant"
            + "%nbut it grants:%n%s",
        unquotedString(Rendering.policy(policy)),
        unquotedString(Rendering.policy(old)),
        unquotedString(Rendering.lines(firstLines(added))));
  }

  /** At most {@value #MAX_LINES} lines, then how many more there are. */
  static final int MAX_LINES = 20;

  private static List<String> firstLines(List<String> lines) {
    if (lines.size() <= MAX_LINES) {
      return lines;
    }
    List<String> out = new ArrayList<>(lines.subList(0, MAX_LINES));
    out.add("… and " + (lines.size() - MAX_LINES) + " more");
    return out;
  }

  /** The message when {@code policy} grants access {@code old} did not; one line per addition. */
  public static ErrorMessageFactory shouldGrantNoNewAccess(
      KeyPolicy policy, KeyPolicy old, List<String> added) {
    return new ShouldGrantNoNewAccess(policy, old, added);
  }
}
