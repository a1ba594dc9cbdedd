package dev.kmsposture.aws.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaLimitersProperties {
  @Test
  void acquire_neverFasterThanTheBudgetedRate() {
    // n permits at rate r (quota q times budget f) take at least (n - 1) / r: the first is free,
    // each next one waits its period. Slower is allowed (a loaded machine); faster never.
    qt().withExamples(15)
        .forAll(
            doubles().between(200, 4000), doubles().between(0.1, 1.0), integers().between(2, 40))
        .checkAssert(
            (quota, fraction, n) -> {
              QuotaLimiters limiters =
                  new QuotaLimiters(Map.of("ListGrants", quota), fraction, System::nanoTime);
              double rate = quota * fraction;
              long start = System.nanoTime();
              for (int i = 0; i < n; i++) {
                limiters.acquire("us-east-1", "ListGrants", ScanDeadline.after(null));
              }
              double seconds = (System.nanoTime() - start) / 1e9;
              // the limiter rounds its period to whole nanoseconds: allow that much
              assertThat(seconds).isGreaterThanOrEqualTo((n - 1) / rate - n * 1e-9);
              assertThat(limiters.budgetedRate("ListGrants")).isEqualTo(rate);
            });
  }

  @Test
  void acquire_regionsAndOperationsHaveSeparateBuckets() {
    QuotaLimiters limiters = new QuotaLimiters(Map.of("ListGrants", 1.0), 1.0, System::nanoTime);
    long start = System.nanoTime();

    // one permit each from four buckets: none waits for another's
    limiters.acquire("us-east-1", "ListGrants", ScanDeadline.after(null));
    limiters.acquire("eu-west-1", "ListGrants", ScanDeadline.after(null));
    limiters.acquire("us-east-1", "DescribeKey", ScanDeadline.after(null));
    limiters.acquire("eu-west-1", "DescribeKey", ScanDeadline.after(null));

    assertThat((System.nanoTime() - start) / 1e9).isLessThan(0.9);
  }

  @Test
  void acquire_permitAfterTheDeadline_failsAtOnceInsteadOfWaiting() {
    QuotaLimiters limiters = new QuotaLimiters(Map.of("ListGrants", 0.1), 1.0, System::nanoTime);
    ScanDeadline deadline = ScanDeadline.after(java.time.Duration.ofSeconds(2));
    limiters.acquire("us-east-1", "ListGrants", deadline);
    long start = System.nanoTime();

    assertThatThrownBy(() -> limiters.acquire("us-east-1", "ListGrants", deadline))
        .isInstanceOf(ScanDeadline.Exceeded.class);
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(1.0);
  }

  @Test
  void new_budgetOutsideZeroToOne_isRejected() {
    assertThatThrownBy(() -> new QuotaLimiters(Map.of(), 1.5, System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("budget fraction [1.5] is not in (0, 1]; use 0.5 to spend half of each quota");
  }

  @Test
  void budgetedRate_unknownOperation_isABug() {
    assertThatThrownBy(
            () -> new QuotaLimiters(Map.of(), 0.5, System::nanoTime).budgetedRate("Encrypt"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("bug in kms-posture:");
  }
}
