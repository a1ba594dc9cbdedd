package dev.kmsposture.rules;

import static dev.kmsposture.rules.EngineFixtures.info;
import static dev.kmsposture.rules.EngineFixtures.key;
import static dev.kmsposture.rules.EngineFixtures.rule;
import static dev.kmsposture.rules.EngineFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every finding about a key carries the key's priority and reasons, however the rule made it: with
 * the factories while the engine judges the key (made with the key's priority), about another
 * instance of the key, or already raised with other reasons; and findings made outside a check
 * start normal.
 */
class FindingPriorityProperties {
  private static final RuleInfo RULE = info("Made", Severity.CRITICAL);

  @Test
  void everyFinding_carriesItsKeysPriority_howeverTheRuleMadeIt() {
    qt().withExamples(200)
        .forAll(integers().between(1, 12), integers().between(0, 1 << 12))
        .checkAssert(
            (keys, shapes) -> {
              List<KeySnapshot> list = new ArrayList<>();
              for (int i = 0; i < keys; i++) {
                boolean prod = (shapes >> i & 1) == 1;
                list.add(
                    key(
                        String.format("%08x-0000-4000-8000-000000000000", i),
                        List.of("alias/" + (prod ? "prod" : "dev") + "-app-" + i),
                        i % 3 == 0 ? Map.of("Environment", "prod") : Map.of()));
              }
              AccountSnapshot snapshot = snapshot(list.toArray(KeySnapshot[]::new));
              KeyRule madeThreeWays =
                  rule(
                      RULE,
                      (k, c) -> {
                        KeySnapshot copy = KeySnapshot.builder(k.arn(), k.metadata()).build();
                        return List.of(
                            Finding.fail(RULE, k, "made for the key"),
                            Finding.fail(RULE, copy, "made for a copy of the key"),
                            Finding.fail(RULE, k, "raised by the rule")
                                .withPriority(Finding.Priority.ELEVATED, List.of("the rule says")));
                      });
              PostureEngine engine =
                  PostureEngine.builder().ruleSet(RuleSet.of(madeThreeWays)).build();
              RuleContext context = RuleContext.of(snapshot, PostureConfig.defaults());

              PostureReport report = engine.check(snapshot);

              assertThat(report.findings()).hasSize(3 * keys);
              for (Finding f : report.findings()) {
                KeySnapshot k =
                    list.stream().filter(x -> x.arn().equals(f.keyArn())).findFirst().orElseThrow();
                List<String> reasons = context.productionSignals(k);
                assertThat(f.priorityReasons()).as(f.message()).isEqualTo(reasons);
                assertThat(f.priority())
                    .as(f.message())
                    .isEqualTo(
                        reasons.isEmpty() ? Finding.Priority.NORMAL : Finding.Priority.ELEVATED);
              }
              Finding outside = Finding.fail(RULE, list.get(0), "made after the check");
              assertThat(outside.priority()).isEqualTo(Finding.Priority.NORMAL);
              assertThat(outside.priorityReasons()).isEmpty();
            });
  }
}
