package dev.kmsposture.testkit.internal;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Statement;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** The message of a failed {@code statement(sid)}: the Sids the policy has. */
public final class ShouldHaveStatement extends BasicErrorMessageFactory {
  private ShouldHaveStatement(KeyPolicy policy, String sid) {
    super(
        "%nExpecting policy:%n  %s%nto have a statement with Sid %s%nbut its Sids are %s",
        unquotedString(Rendering.policy(policy)),
        unquotedString("[" + sid + "]"),
        unquotedString(sids(policy)));
  }

  private static String sids(KeyPolicy policy) {
    List<String> sids = new ArrayList<>();
    int without = 0;
    for (Statement s : policy.statements()) {
      if (s.sid() == null) {
        without++;
      } else {
        sids.add(s.sid());
      }
    }
    return sids
        + (without == 0
            ? ""
            : " and " + without + (without == 1 ? " statement has" : " statements have") + " none");
  }

  /** The message when the policy has no statement with Sid {@code sid}. */
  public static ErrorMessageFactory shouldHaveStatement(KeyPolicy policy, String sid) {
    return new ShouldHaveStatement(policy, sid);
  }
}
