package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.kmsposture.testkit.kms.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fault injection is deterministic for a seed, hits at its rate, and respects its limits. */
class FaultInjectorProperties {
  private static List<Boolean> hits(long seed, Fault fault, int calls) {
    FaultInjector injector = new FaultInjector(seed);
    injector.add(fault);
    List<Boolean> hits = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      hits.add(injector.decide(Calls.kms("Decrypt", Map.of())).refusal() != null);
    }
    return hits;
  }

  @Test
  void sameSeed_sameHits() {
    qt().withExamples(100)
        .forAll(longs().all(), doubles().between(0.01, 0.99))
        .checkAssert(
            (seed, probability) -> {
              Fault fault = Fault.throttling().withProbability(probability);
              assertThat(hits(seed, fault, 200)).isEqualTo(hits(seed, fault, 200));
            });
  }

  @Test
  void hitRate_isTheProbability_withinFiveStandardDeviations() {
    qt().withExamples(50)
        .forAll(longs().all(), doubles().between(0.05, 0.95))
        .checkAssert(
            (seed, probability) -> {
              int calls = 2000;
              long hit =
                  hits(seed, Fault.serviceError().withProbability(probability), calls).stream()
                      .filter(h -> h)
                      .count();
              double expected = calls * probability;
              double sigma = Math.sqrt(calls * probability * (1 - probability));
              assertThat((double) hit).isBetween(expected - 5 * sigma, expected + 5 * sigma);
            });
  }

  @Test
  void times_limitsTheHits_andTheFirstMatchingCallsAreHit() {
    qt().withExamples(100)
        .forAll(longs().all(), integers().between(1, 50))
        .checkAssert(
            (seed, times) -> {
              List<Boolean> hits = hits(seed, Fault.throttling().times(times), 60);
              assertThat(hits.subList(0, times)).containsOnly(true);
              assertThat(hits.subList(times, 60)).containsOnly(false);
            });
  }

  @Test
  void laterFaultsAndOtherCalls_doNotChangeAFaultsHits() {
    qt().withExamples(50)
        .forAll(longs().all(), doubles().between(0.1, 0.9))
        .checkAssert(
            (seed, probability) -> {
              Fault decrypt =
                  Fault.throttling().forOperations("Decrypt").withProbability(probability);
              List<Boolean> alone = hits(seed, decrypt, 100);
              FaultInjector busy = new FaultInjector(seed);
              // a fault's hits depend on its position among the faults added, so it comes first
              busy.add(decrypt);
              busy.add(Fault.latency(java.time.Duration.ZERO).withProbability(0.5));
              List<Boolean> interleaved = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                busy.decide(Calls.kms("Encrypt", Map.of()));
                interleaved.add(busy.decide(Calls.kms("Decrypt", Map.of())).refusal() != null);
              }
              assertThat(interleaved).isEqualTo(alone);
            });
  }
}
