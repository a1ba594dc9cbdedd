package dev.kmsposture.leastprivilege;

import static dev.kmsposture.testing.Gens.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The builder's own lockout check reads a principal element as the evaluator and KMS's lockout
 * check do (one matcher): on {@code Allow <principal> kms:PutKeyPolicy} it finds the caller locked
 * out exactly when {@link AccessAnalysis#canPutKeyPolicy(String)} fails for that caller.
 */
class PolicyChecksProperties {
  private static final AccountId ACCOUNT = AccountId.of("111122223333");
  private static final List<String> PRINCIPALS =
      List.of(
          "*",
          "111122223333",
          "arn:aws:iam::111122223333:root",
          "arn:aws:iam::111122223333:role/Admin",
          "arn:aws:iam::111122223333:role/ops/Admin",
          "arn:aws:iam::111122223333:role/App",
          "arn:aws:iam::111122223333:user/Admin",
          "arn:aws:sts::111122223333:federated-user/Admin",
          "arn:aws:iam::444455556666:root",
          "arn:aws:iam::444455556666:role/Admin");
  private static final List<String> CALLERS =
      List.of(
          "arn:aws:iam::111122223333:root",
          "arn:aws:iam::111122223333:role/Admin",
          "arn:aws:iam::111122223333:role/ops/Admin",
          "arn:aws:iam::111122223333:role/App",
          "arn:aws:iam::111122223333:user/Admin",
          "arn:aws:iam::111122223333:user/App",
          "arn:aws:sts::111122223333:federated-user/Admin");

  @Test
  void callerLockedOut_agreesWithTheAnalysisLockoutCheck() {
    Map<Boolean, Integer> census = new TreeMap<>();
    qt().withExamples(600)
        .forAll(pick(PRINCIPALS), pick(CALLERS))
        .checkAssert(
            (principal, caller) -> {
              String json =
                  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Admin\",\"Effect\":"
                      + "\"Allow\",\"Principal\":{\"AWS\":\""
                      + principal
                      + "\"},\"Action\":\"kms:PutKeyPolicy\",\"Resource\":\"*\"}]}";
              KeyPolicy policy = KeyPolicy.parse(json);
              boolean builderLocksOut =
                  new PolicyChecks(ACCOUNT, "aws", caller)
                      .check(List.of(PolicyChecks.Part.of(policy.statements().get(0)))).stream()
                          .anyMatch(f -> f.code() == BuilderFinding.Code.CALLER_LOCKED_OUT);
              boolean passes = AccessAnalysis.of(policy, ACCOUNT).canPutKeyPolicy(caller).passes();
              census.merge(passes, 1, Integer::sum);
              assertThat(builderLocksOut)
                  .as("principal %s, caller %s", principal, caller)
                  .isEqualTo(!passes);
            });
    assertThat(census).as("lockout check outcomes").containsKeys(true, false);
  }
}
