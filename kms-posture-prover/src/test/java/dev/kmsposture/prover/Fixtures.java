package dev.kmsposture.prover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.KeyPolicy;

/** Policies and assertions the prover's tests share. */
final class Fixtures {
  static final String ACCOUNT = "111122223333";
  static final String OTHER_ACCOUNT = "444455556666";
  static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String OTHER_KEY =
      "arn:aws:kms:us-east-1:111122223333:key/0000aaaa-00aa-00aa-00aa-0000000000aa";
  static final String ROOT_STATEMENT =
      """
      {"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},\
      "Action":"kms:*","Resource":"*"}""";

  private Fixtures() {}

  /** A Version 2012-10-17 policy of the statements given as JSON objects. */
  static KeyPolicy policy(String... statements) {
    return KeyPolicy.parse(
        "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}");
  }

  /** The evaluator's decision on the witness request, with the key ARN the question named. */
  static Decision replay(KeyPolicy policy, Witness w) {
    return KeyAccessEvaluator.builder()
        .keyPolicy(policy)
        .keyArn(w.keyArn())
        .build()
        .evaluate(w.toAccessRequest());
  }

  /** Asserts that the result is a witness the evaluator decides as the witness says; returns it. */
  static Witness assertWitness(ProofResult result, KeyPolicy policy) {
    assertThat(result.kind()).as(result.toString()).isEqualTo(ProofResult.Kind.FOUND_WITNESS);
    Witness w = result.witnessIfFound().orElseThrow();
    assertThat(Allowance.of(replay(policy, w))).as(w.toString()).isEqualTo(w.allowance());
    return w;
  }
}
