package dev.kmsposture.prover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Z3's native library loads from the z3-turnkey jar on this platform (Linux x86_64 in CI) with
 * nothing installed but what Maven resolves, and answers a question.
 */
class NativeLoadingTest {

  @Test
  void solverVersion_fromTheTurnkeyJar_isZ3_4_14_1() {
    assertThat(PolicyProver.solverVersion()).startsWith("Z3 4.14.1");
  }

  @Test
  void accountCanPutKeyPolicy_defaultPolicy_findsTheRootUser() {
    // given
    var policy = Fixtures.policy(Fixtures.ROOT_STATEMENT);

    // when
    ProofResult r = PolicyProver.create().accountCanPutKeyPolicy(policy, Fixtures.KEY);

    // then
    Witness w = Fixtures.assertWitness(r, policy);
    assertThat(w.principal()).isEqualTo("arn:aws:iam::111122223333:root");
    assertThat(w.allowance()).isEqualTo(Allowance.ALLOWED);
  }
}
