package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The engine orders findings by dealing them into buckets instead of sorting them all: the order
 * must still be exactly {@link PostureEngine#REPORT_ORDER}, whatever the rules return.
 */
class ReportOrderProperties {
  private static final List<RuleInfo> INFOS =
      List.of(
          EngineFixtures.info("Alpha", Severity.CRITICAL),
          EngineFixtures.info("Beta", Severity.RECOMMENDED),
          EngineFixtures.info("Gamma", Severity.OPTIONAL));
  private static final Status[] STATUSES = Status.values();

  // A rule whose results depend on the key and the rule: several findings, any status, items,
  // and sometimes a subject that is not the key's name (custom rules may do that).
  private static KeyRule rule(RuleInfo info, int salt) {
    return EngineFixtures.rule(
        info,
        (key, context) -> {
          int h = Math.abs((key.arn() + salt).hashCode());
          List<Finding> out = new ArrayList<>();
          for (int i = 0; i <= h % 3; i++) {
            Status status = STATUSES[(h >> (2 * i)) % STATUSES.length];
            Finding f = Finding.of(info, status, key, Message.of("finding %d of %s", i, salt));
            if ((h >> 8) % 2 == 0) {
              f = f.about("item-" + (h >> i) % 4);
            }
            if ((h >> 10) % 7 == 0) {
              f =
                  new Finding(
                      f.ruleId(),
                      f.severity(),
                      f.status(),
                      f.keyArn(),
                      "zz-renamed-" + (h % 3),
                      f.message(),
                      f.location(),
                      f.item(),
                      f.remediation(),
                      f.priority(),
                      f.priorityReasons(),
                      f.disposition(),
                      f.dispositionNote());
            }
            out.add(f);
          }
          return out;
        });
  }

  @Provide
  Arbitrary<List<KeySnapshot>> keys() {
    Arbitrary<KeySnapshot> key =
        Combinators.combine(
                Arbitraries.integers().between(0, 30),
                Arbitraries.of("alpha", "prod-pii", "beta", "zeta", ""),
                Arbitraries.<Map<String, String>>of(Map.of(), Map.of("Environment", "prod")))
            .as(
                (id, alias, tags) ->
                    EngineFixtures.key(
                        "k" + id, alias.isEmpty() ? List.of() : List.of("alias/" + alias), tags));
    return key.list().ofMaxSize(25);
  }

  @Property(tries = 200)
  void findings_areExactlyInReportOrder(
      @ForAll("keys") List<KeySnapshot> keys, @ForAll int salt, @ForAll boolean suppress) {
    AccountSnapshot snapshot = AccountSnapshot.of(EngineFixtures.ACCOUNT, EngineFixtures.NOW, keys);
    PostureEngine.Builder builder =
        PostureEngine.builder()
            .ruleSet(
                RuleSet.of(
                    rule(INFOS.get(0), salt),
                    rule(INFOS.get(1), salt + 1),
                    rule(INFOS.get(2), salt + 2)));
    if (suppress) {
      builder.addSuppression(new Suppression("Beta", "*", "accepted risk for the test", null));
    }
    PostureReport report = builder.build().check(snapshot);

    List<Finding> sorted = new ArrayList<>(report.findings());
    sorted.sort(PostureEngine.REPORT_ORDER);
    assertThat(report.findings()).containsExactlyElementsOf(sorted);
    int expected = 0;
    for (KeySnapshot k : keys) {
      for (int r = 0; r < 3; r++) {
        expected += Math.abs((k.arn() + (salt + r)).hashCode()) % 3 + 1;
      }
    }
    assertThat(report.findings()).hasSize(expected);
  }
}
