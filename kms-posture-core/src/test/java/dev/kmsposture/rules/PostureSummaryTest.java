package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.testing.ScaleSnapshots;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PostureSummary#hasFailuresAtLeast}: the streaming check's answer is the whole report's,
 * for every threshold.
 */
class PostureSummaryTest {
  private static final PostureEngine ENGINE =
      PostureEngine.builder().ruleSet(KmsPostureRules.all()).build();

  @Test
  void hasFailuresAtLeast_agreesWithTheReportAtEveryThreshold() {
    AccountSnapshot varied = ScaleSnapshots.snapshot(60, new Random(ScaleSnapshots.SEED), false);
    AccountSnapshot empty =
        AccountSnapshot.of(ScaleSnapshots.ACCOUNT, ScaleSnapshots.NOW, List.of());

    for (AccountSnapshot s : List.of(varied, empty)) {
      PostureReport report = ENGINE.check(s);
      for (Severity threshold : Severity.values()) {
        assertThat(report.summary().hasFailuresAtLeast(threshold))
            .as("%d keys, at least %s", s.keys().size(), threshold)
            .isEqualTo(report.hasFailuresAtLeast(threshold));
      }
    }
    // Not a vacuous agreement: the varied snapshot fails at the highest severity.
    assertThat(ENGINE.check(varied).summary().hasFailuresAtLeast(Severity.CRITICAL)).isTrue();
  }
}
