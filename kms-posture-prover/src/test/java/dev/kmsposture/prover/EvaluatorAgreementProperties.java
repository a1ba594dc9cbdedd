package dev.kmsposture.prover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The prover against core's evaluator, on generated policies: every witness is one the evaluator
 * decides as the witness says (the prover replays it; a disagreement throws), and a "no" is never
 * contradicted by a sampled request the evaluator lets through. A generated shape that stops
 * appearing fails its test.
 */
class EvaluatorAgreementProperties {
  private static final int TRIES = 120;
  private static final int REQUESTS = 40;
  private static final long SEED = 0x6b6d732d70726f76L;

  private final PolicyProver prover = PolicyProver.create();
  private final Map<String, AtomicInteger> census = new ConcurrentHashMap<>();

  private void count(String shape) {
    census.computeIfAbsent(shape, k -> new AtomicInteger()).incrementAndGet();
  }

  private static String context(KeyPolicy p, AccessRequest r) {
    return "policy " + p.toJson() + "\nrequest " + r;
  }

  @Test
  void externalPublicAndLockout_neverProvedNoWhenASampledRequestGetsThrough() {
    qt().withFixedSeed(SEED)
        .withExamples(TRIES)
        .forAll(PolicyShapes.policies(), Requests.requestLists(REQUESTS))
        .checkAssert(
            (policy, requests) -> {
              PolicyShapes.shapesOf(policy).forEach(this::count);
              ProofResult external = prover.externalAccess(policy, Fixtures.KEY);
              ProofResult pub = prover.publicAccess(policy, Fixtures.KEY);
              ProofResult lockout = prover.accountCanPutKeyPolicy(policy, Fixtures.KEY);
              count("external " + external.kind());
              count("public " + pub.kind());
              count("account can put " + lockout.kind());
              for (AccessRequest r : requests) {
                Allowance level = Requests.level(policy, r);
                if (!level.isAtLeastIfIamAllows()) {
                  continue;
                }
                if (Requests.isOutside(r)) {
                  assertThat(external.isProvedNo())
                      .as("external access proved impossible, but %s", context(policy, r))
                      .isFalse();
                }
                if (Requests.isUnnamed(r)) {
                  assertThat(pub.isProvedNo())
                      .as("public access proved impossible, but %s", context(policy, r))
                      .isFalse();
                }
                if (Requests.isInAccount(r) && r.action().equals(KmsAction.PUT_KEY_POLICY)) {
                  assertThat(lockout.isProvedNo())
                      .as("lockout proved, but %s", context(policy, r))
                      .isFalse();
                }
              }
            });
    assertCensus();
  }

  @Test
  void newAccess_neverProvedNoWhenASampledRequestGainsAccess() {
    qt().withFixedSeed(SEED + 1)
        .withExamples(TRIES)
        .forAll(PolicyShapes.policies(), PolicyShapes.policies(), Requests.requestLists(REQUESTS))
        .checkAssert(
            (before, after, requests) -> {
              ProofResult r = prover.newAccess(before, after, Fixtures.KEY);
              count("new access " + r.kind());
              if (r instanceof ProofResult.Found f) {
                Witness w = f.witness();
                assertThat(
                        w.allowance()
                            .compareTo(java.util.Objects.requireNonNull(w.previousAllowance())))
                    .isPositive();
              }
              for (AccessRequest request : requests) {
                if (Requests.level(after, request).compareTo(Requests.level(before, request)) > 0) {
                  assertThat(r.isProvedNo())
                      .as(
                          "no new access proved, but %s gains\nbefore %s\nafter %s",
                          request, before.toJson(), after.toJson())
                      .isFalse();
                }
              }
            });
    assertThat(census.get("new access FOUND_WITNESS")).isNotNull();
    assertThat(census.get("new access PROVED_NO")).isNotNull();
  }

  @Test
  void callerCheck_agreesWithTheEvaluatorOnEveryContextSampled() {
    qt().withFixedSeed(SEED + 2)
        .withExamples(TRIES)
        .forAll(PolicyShapes.policies(), Requests.requestLists(REQUESTS))
        .checkAssert(
            (policy, requests) -> {
              for (AccessRequest r : requests) {
                if (!Requests.isInAccount(r) || !r.action().equals(KmsAction.PUT_KEY_POLICY)) {
                  continue;
                }
                ProofResult check =
                    r.rolePath().isPresent()
                        ? prover.callerCanPutKeyPolicy(
                            policy, Fixtures.KEY, r.principal(), r.rolePath().orElseThrow())
                        : prover.callerCanPutKeyPolicy(policy, Fixtures.KEY, r.principal());
                count("caller " + check.kind());
                if (Requests.level(policy, r.toBuilder().permissionsBoundary(false).build())
                    .isAtLeastIfIamAllows()) {
                  assertThat(check.isProvedNo())
                      .as("caller check proved failing, but %s", context(policy, r))
                      .isFalse();
                }
                return;
              }
            });
    assertThat(census.get("caller FOUND_WITNESS")).isNotNull();
    assertThat(census.get("caller PROVED_NO")).isNotNull();
  }

  private void assertCensus() {
    Map<String, Integer> seen = new TreeMap<>();
    census.forEach((k, v) -> seen.put(k, v.get()));
    for (String shape : PolicyShapes.SHAPES) {
      assertThat(seen.getOrDefault(shape, 0))
          .as("generated policies with shape [%s] (census %s)", shape, seen)
          .isGreaterThanOrEqualTo(TRIES / 20);
    }
    for (String answer : List.of("external", "public", "account can put")) {
      assertThat(seen.getOrDefault(answer + " FOUND_WITNESS", 0))
          .as("%s answered yes (census %s)", answer, seen)
          .isPositive();
      assertThat(seen.getOrDefault(answer + " PROVED_NO", 0))
          .as("%s proved no (census %s)", answer, seen)
          .isPositive();
    }
  }
}
