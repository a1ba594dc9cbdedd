package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.kmsposture.testkit.kms.RequestQuotas;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The token buckets' guarantees, for any rate and any arrival pattern. */
class QuotaEnforcerProperties {
  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void admitted_neverExceedsBurstPlusRateTimesElapsed_andEveryRequestAtTheRateIsAdmitted() {
    qt().withExamples(300)
        .forAll(
            doubles().between(0.1, 50),
            lists().of(integers().between(0, 3000)).ofSizeBetween(1, 300))
        .checkAssert(
            (rate, gapsMillis) -> {
              TestClock clock = new TestClock(START);
              QuotaEnforcer enforcer =
                  new QuotaEnforcer(
                      clock,
                      (account, region, keyId) -> Optional.empty(),
                      RequestQuotas.none().withLimit("CreateKey request rate", rate));
              AwsCall call = Calls.kms("CreateKey", Map.of());
              double burst = Math.max(1.0, rate);
              long elapsedMillis = 0;
              int admitted = 0;
              for (int gap : gapsMillis) {
                elapsedMillis += gap;
                clock.set(START.plusMillis(elapsedMillis));
                try {
                  enforcer.admit(call);
                  admitted++;
                } catch (AwsServiceError e) {
                  assertThat(e.code()).isEqualTo("ThrottlingException");
                }
                // never more than a full bucket plus what the rate refilled since the start
                assertThat((double) admitted)
                    .isLessThanOrEqualTo(burst + rate * elapsedMillis / 1000.0 + 1e-6);
              }
            });
  }

  @Test
  void requestsSpacedAtTheRate_areNeverThrottled() {
    qt().withExamples(200)
        .forAll(doubles().between(0.1, 200), integers().between(1, 200))
        .checkAssert(
            (rate, count) -> {
              TestClock clock = new TestClock(START);
              QuotaEnforcer enforcer =
                  new QuotaEnforcer(
                      clock,
                      (account, region, keyId) -> Optional.empty(),
                      RequestQuotas.none().withLimit("DescribeKey request rate", rate));
              AwsCall call = Calls.kms("DescribeKey", Map.of());
              // one request every 1/rate seconds, rounded up to the next microsecond
              long spacingMicros = (long) Math.ceil(1_000_000 / rate);
              for (int i = 0; i < count; i++) {
                clock.set(START.plusNanos(i * spacingMicros * 1000));
                enforcer.admit(call);
              }
            });
  }

  @Test
  void aBurstOfTheRate_isAdmittedAndTheNextRequestIsThrottled() {
    qt().withExamples(100)
        .forAll(integers().between(1, 2000))
        .checkAssert(
            rate -> {
              TestClock clock = new TestClock(START);
              QuotaEnforcer enforcer =
                  new QuotaEnforcer(
                      clock,
                      (account, region, keyId) -> Optional.empty(),
                      RequestQuotas.none().withLimit(RequestQuotas.SYMMETRIC_CRYPTOGRAPHY, rate));
              AwsCall call = Calls.kms("GenerateRandom", Map.of());
              for (int i = 0; i < rate; i++) {
                enforcer.admit(call);
              }
              List<String> codes = new java.util.ArrayList<>();
              try {
                enforcer.admit(call);
              } catch (AwsServiceError e) {
                codes.add(e.code());
              }
              assertThat(codes).containsExactly("ThrottlingException");
            });
  }
}
