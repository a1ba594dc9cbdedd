package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.KmsPostureRules;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Where the findings of each status are in a run in report order, as the spool finds it by
 * galloping, is where a look at every finding finds it.
 */
class FindingSpoolRangesProperties {
  @Test
  void indexRanges_anyRunInReportOrder_areTheRangesOfEachStatus() {
    RuleInfo rule = KmsPostureRules.all().rules().get(0).info();
    Status[] statuses = Status.values();
    qt().withFixedSeed(20261207L)
        .withExamples(300)
        .forAll(longs().all(), integers().between(0, 3000))
        .checkAssert(
            (seed, size) -> {
              Random random = new Random(seed);
              // a few statuses, some rare, so that runs of 0, 1 and many findings occur
              int kinds = 1 + random.nextInt(statuses.length);
              List<Finding> run = new ArrayList<>();
              for (int i = 0; i < size; i++) {
                Status s =
                    random.nextInt(8) == 0
                        ? statuses[random.nextInt(statuses.length)]
                        : statuses[random.nextInt(kinds)];
                run.add(
                    Finding.builder()
                        .ruleId(rule.id())
                        .severity(rule.severity())
                        .status(s)
                        .keyArn("arn:aws:kms:us-east-1:111122223333:key/k" + random.nextInt(50))
                        .subject("key " + random.nextInt(50))
                        .message("message " + i)
                        .remediation(rule.remediation())
                        .priority(Finding.Priority.NORMAL)
                        .build());
              }
              run.sort(PostureEngine.reportOrder());

              Map<Status, int[]> ranges = FindingSpool.indexRanges(run);

              Map<Status, int[]> expected = new EnumMap<>(Status.class);
              for (int i = 0; i < run.size(); i++) {
                int[] r = expected.computeIfAbsent(run.get(i).status(), k -> new int[2]);
                if (r[1] == 0) {
                  r[0] = i;
                }
                r[1] = i + 1;
              }
              assertThat(ranges).isNotNull();
              Map<Status, int[]> found = ranges == null ? Map.of() : ranges;
              assertThat(found.keySet()).isEqualTo(expected.keySet());
              expected.forEach(
                  (s, r) -> assertThat(found.get(s)).as("%s", s).containsExactly(r[0], r[1]));
            });
  }
}
