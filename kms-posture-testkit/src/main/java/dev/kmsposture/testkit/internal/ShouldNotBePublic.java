package dev.kmsposture.testkit.internal;

import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** The message of a failed {@code isNotPublic()}: the statements that make the key public. */
public final class ShouldNotBePublic extends BasicErrorMessageFactory {
  private ShouldNotBePublic(KeyPolicy policy, AccountId account, List<StatementReason> reasons) {
    super(
        "%nExpecting policy:%n  %s%nnot to make the key of account %s public%nbut it does:%n%s",
        unquotedString(Rendering.policy(policy)),
        unquotedString(account.value()),
        unquotedString(Rendering.lines(describe(reasons))));
  }

  private static List<String> describe(List<StatementReason> reasons) {
    List<String> out = new ArrayList<>();
    for (StatementReason r : reasons) {
      out.add(r.place() + ": " + r.message());
    }
    return out;
  }

  /** The message when the policy makes the key public. */
  public static ErrorMessageFactory shouldNotBePublic(
      KeyPolicy policy, AccountId account, List<StatementReason> reasons) {
    return new ShouldNotBePublic(policy, account, reasons);
  }
}
