package dev.kmsposture.rules;

import static dev.kmsposture.rules.EngineFixtures.check;
import static dev.kmsposture.rules.EngineFixtures.failing;
import static dev.kmsposture.rules.EngineFixtures.info;
import static dev.kmsposture.rules.EngineFixtures.key;
import static dev.kmsposture.rules.EngineFixtures.passing;
import static dev.kmsposture.rules.EngineFixtures.rule;
import static dev.kmsposture.rules.EngineFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostureEngineTest {
  private static final RuleInfo CRITICAL = info("CriticalThing", Severity.CRITICAL);
  private static final RuleInfo RECOMMENDED = info("RecommendedThing", Severity.RECOMMENDED);
  private static final RuleInfo OPTIONAL = info("OptionalThing", Severity.OPTIONAL);

  private static final String A = "11111111-1111-4111-8111-111111111111";
  private static final String B = "22222222-2222-4222-8222-222222222222";

  @Test
  void check_sameSnapshotTwice_givesEqualReports() {
    RuleSet rules = RuleSet.of(failing(CRITICAL), passing(RECOMMENDED));
    AccountSnapshot s = snapshot(key(B, "zeta"), key(A, "alpha"));

    assertThat(check(rules, s)).isEqualTo(check(rules, s));
  }

  @Test
  void check_findings_areInReportOrderFailuresFirstThenSeverity() {
    RuleSet rules = RuleSet.of(passing(CRITICAL), failing(OPTIONAL), failing(RECOMMENDED));

    PostureReport r = check(rules, snapshot(key(B, "zeta"), key(A, "alpha")));

    assertThat(r.findings())
        .extracting(f -> f.status() + " " + f.ruleId() + " " + f.subject())
        .containsExactly(
            "FAIL RecommendedThing alpha",
            "FAIL RecommendedThing zeta",
            "FAIL OptionalThing alpha",
            "FAIL OptionalThing zeta",
            "PASS CriticalThing alpha",
            "PASS CriticalThing zeta");
  }

  @Test
  void check_keyWithUnreadableMetadata_isUnknownForEveryKeyRuleNeverPass() {
    // given: a key the scanner listed but whose DescribeKey was refused
    KeySnapshot listedOnly =
        KeySnapshot.builder(
                "arn:aws:kms:us-east-1:" + EngineFixtures.ACCOUNT + ":key/" + A,
                KeyMetadata.unknown())
            .unreadable(KeyPart.METADATA, "AccessDeniedException: not authorized")
            .build();
    RuleSet rules = RuleSet.of(passing(CRITICAL), failing(RECOMMENDED));

    // when
    PostureReport r = check(rules, snapshot(listedOnly));

    // then
    assertThat(r.findings())
        .extracting(f -> f.status() + " " + f.ruleId())
        .containsExactlyInAnyOrder("UNKNOWN CriticalThing", "UNKNOWN RecommendedThing");
    assertThat(r.findings().get(0).message())
        .isEqualTo(
            "Cannot judge the key arn:aws:kms:us-east-1:111122223333:key/"
                + A
                + ": its metadata could not be read: AccessDeniedException: not authorized");
  }

  @Test
  void check_zeroKeys_isReportedAsEmptyWithANoteNeverClean() {
    PostureReport r = check(RuleSet.of(failing(CRITICAL)), snapshot());

    assertThat(r.isEmptySnapshot()).isTrue();
    assertThat(r.keyCount()).isZero();
    assertThat(r.notes())
        .singleElement()
        .asString()
        .startsWith(
            "The snapshot holds no keys, so no key was checked. This is not a clean result");
  }

  @Test
  void check_collectionErrors_becomeNotes() {
    AccountSnapshot s =
        AccountSnapshot.builder()
            .account(EngineFixtures.ACCOUNT)
            .regions(List.of("us-east-1"))
            .capturedAt(EngineFixtures.NOW)
            .keys(List.of(key(A, "alpha")))
            .collectionErrors(
                List.of(
                    new dev.kmsposture.snapshot.CollectionError(
                        "eu-west-1", "ListKeys", "AccessDeniedException")))
            .build();

    PostureReport r = check(RuleSet.of(passing(CRITICAL)), s);

    assertThat(r.notes())
        .containsExactly("Collection error in eu-west-1: ListKeys: AccessDeniedException");
  }

  @Test
  void check_throwingRule_givesUnknownNotACrash() {
    KeyRule throwing =
        rule(
            CRITICAL,
            (k, c) -> {
              throw new IllegalStateException("boom");
            });

    PostureReport r = check(RuleSet.of(throwing, passing(RECOMMENDED)), snapshot(key(A, "alpha")));

    Finding f = r.findings().get(0);
    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.message())
        .isEqualTo(
            "rule CriticalThing failed on the CMK named alpha (IllegalStateException: boom); this is"
                + " a bug in kms-posture, please report it");
    assertThat(r.findings()).hasSize(2);
  }

  @Test
  void check_ruleReturningNothing_givesUnknown() {
    PostureReport r =
        check(RuleSet.of(rule(CRITICAL, (k, c) -> List.of())), snapshot(key(A, "alpha")));

    assertThat(r.findings()).singleElement().extracting(Finding::status).isEqualTo(Status.UNKNOWN);
    assertThat(r.findings().get(0).message()).contains("returned no result");
  }

  @Test
  void check_throwingAccountRule_givesUnknownAccountFinding() {
    AccountRule throwing =
        new AccountRule() {
          @Override
          public RuleInfo info() {
            return OPTIONAL;
          }

          @Override
          public List<Finding> check(AccountSnapshot snapshot, RuleContext context) {
            throw new IllegalArgumentException("bad trail");
          }
        };

    PostureReport r = check(RuleSet.of(throwing), snapshot(key(A, "alpha")));

    Finding f = r.findings().get(0);
    assertThat(f.status()).isEqualTo(Status.UNKNOWN);
    assertThat(f.keyArn()).isNull();
    assertThat(f.subject()).isEqualTo("account 111122223333");
  }

  @Test
  void check_aliasWithProductionToken_raisesPriorityWithReason() {
    PostureReport r = check(RuleSet.of(failing(CRITICAL)), snapshot(key(A, "prod-payments")));

    Finding f = r.findings().get(0);
    assertThat(f.priority()).isEqualTo(Finding.Priority.ELEVATED);
    assertThat(f.priorityReasons())
        .as("payments is not the token payment: only whole tokens count")
        .containsExactly("its alias prod-payments says prod");
  }

  @Test
  void check_aliasContainingTokenOnlyAsPartOfAWord_keepsNormalPriority() {
    PostureReport r = check(RuleSet.of(failing(CRITICAL)), snapshot(key(A, "products-catalog")));

    assertThat(r.findings().get(0).priority()).isEqualTo(Finding.Priority.NORMAL);
    assertThat(r.findings().get(0).priorityReasons()).isEmpty();
  }

  @Test
  void check_productionTags_raisePriorityIgnoringCase() {
    PostureReport r =
        check(
            RuleSet.of(failing(CRITICAL)),
            snapshot(
                key(
                    A,
                    List.of("alias/orders"),
                    Map.of("Environment", "Production", "DataClassification", "restricted"))));

    assertThat(r.findings().get(0).priorityReasons())
        .containsExactly(
            "it is tagged DataClassification=restricted", "it is tagged Environment=Production");
  }

  @Test
  void check_suppressionWithReason_marksFailureSuppressedAndKeepsTheReason() {
    PostureReport r =
        PostureEngine.builder()
            .ruleSet(RuleSet.of(failing(CRITICAL)))
            .addSuppression(
                new Suppression("CriticalThing", "alias/legacy-*", "retiring in Q1", null))
            .build()
            .check(snapshot(key(A, "legacy-billing"), key(B, "orders")));

    Finding legacy =
        r.findings().stream()
            .filter(f -> f.subject().equals("legacy-billing"))
            .findFirst()
            .orElseThrow();
    Finding orders =
        r.findings().stream().filter(f -> f.subject().equals("orders")).findFirst().orElseThrow();
    assertThat(legacy.disposition()).isEqualTo(Finding.Disposition.SUPPRESSED);
    assertThat(legacy.dispositionNote()).isEqualTo("retiring in Q1");
    assertThat(orders.disposition()).isEqualTo(Finding.Disposition.ACTIVE);
    assertThat(r.activeFailures()).containsExactly(orders);
  }

  @Test
  void check_suppressionFromConfig_isApplied() {
    PostureConfig config =
        PostureConfig.parse(
            """
            suppressions:
              - ruleId: CriticalThing
                keyPattern: "*"
                reason: accepted by the risk board
            """);

    PostureReport r =
        PostureEngine.builder()
            .ruleSet(RuleSet.of(failing(CRITICAL)))
            .config(config)
            .build()
            .check(snapshot(key(A, "alpha")));

    assertThat(r.findings().get(0).disposition()).isEqualTo(Finding.Disposition.SUPPRESSED);
    assertThat(r.hasFailuresAtLeast(Severity.OPTIONAL)).isFalse();
  }

  @Test
  void check_expiredSuppression_isIgnored() {
    PostureReport r =
        PostureEngine.builder()
            .ruleSet(RuleSet.of(failing(CRITICAL)))
            .addSuppression(
                new Suppression(
                    "CriticalThing", "*", "until yesterday", LocalDate.of(2026, 11, 27)))
            .build()
            .check(snapshot(key(A, "alpha")));

    assertThat(r.findings().get(0).disposition()).isEqualTo(Finding.Disposition.ACTIVE);
  }

  @Test
  void check_suppressionExpiringOnTheSnapshotDay_stillApplies() {
    PostureReport r =
        PostureEngine.builder()
            .ruleSet(RuleSet.of(failing(CRITICAL)))
            .addSuppression(
                new Suppression("CriticalThing", "*", "until today", LocalDate.of(2026, 11, 28)))
            .build()
            .check(snapshot(key(A, "alpha")));

    assertThat(r.findings().get(0).disposition()).isEqualTo(Finding.Disposition.SUPPRESSED);
  }

  @Test
  void check_suppression_doesNotTouchPassingFindings() {
    PostureReport r =
        PostureEngine.builder()
            .ruleSet(RuleSet.of(passing(CRITICAL)))
            .addSuppression(new Suppression("*", "*", "everything", null))
            .build()
            .check(snapshot(key(A, "alpha")));

    assertThat(r.findings().get(0).disposition()).isEqualTo(Finding.Disposition.ACTIVE);
  }

  @Test
  void check_baselinedFailure_isBaselinedAndNoLongerFails() {
    RuleSet rules = RuleSet.of(failing(CRITICAL));
    AccountSnapshot s = snapshot(key(A, "alpha"));
    Baseline baseline = Baseline.of(check(rules, s));

    PostureReport r = PostureEngine.builder().ruleSet(rules).baseline(baseline).build().check(s);

    assertThat(r.findings().get(0).disposition()).isEqualTo(Finding.Disposition.BASELINED);
    assertThat(r.hasFailuresAtLeast(Severity.OPTIONAL)).isFalse();
  }

  @Test
  void check_newFailureBesideBaseline_stillFails() {
    RuleSet rules = RuleSet.of(failing(CRITICAL));
    Baseline baseline = Baseline.of(check(rules, snapshot(key(A, "alpha"))));

    PostureReport r =
        PostureEngine.builder()
            .ruleSet(rules)
            .baseline(baseline)
            .build()
            .check(snapshot(key(A, "alpha"), key(B, "beta")));

    assertThat(r.activeFailures()).extracting(Finding::subject).containsExactly("beta");
  }

  @Test
  void hasFailuresAtLeast_onlyRecommendedFailure_dependsOnThreshold() {
    PostureReport r =
        check(RuleSet.of(failing(RECOMMENDED), passing(CRITICAL)), snapshot(key(A, "alpha")));

    assertThat(r.hasFailuresAtLeast(Severity.CRITICAL)).isFalse();
    assertThat(r.hasFailuresAtLeast(Severity.RECOMMENDED)).isTrue();
    assertThat(r.hasFailuresAtLeast(Severity.OPTIONAL)).isTrue();
  }

  @Test
  void countsByStatus_andFailuresBySeverity_haveEveryKey() {
    PostureReport r =
        check(RuleSet.of(failing(RECOMMENDED), passing(CRITICAL)), snapshot(key(A, "alpha")));

    assertThat(r.countsByStatus())
        .containsEntry(Status.PASS, 1L)
        .containsEntry(Status.FAIL, 1L)
        .containsEntry(Status.NOT_APPLICABLE, 0L)
        .containsEntry(Status.UNKNOWN, 0L);
    assertThat(r.failuresBySeverity())
        .containsEntry(Severity.CRITICAL, 0L)
        .containsEntry(Severity.RECOMMENDED, 1L)
        .containsEntry(Severity.OPTIONAL, 0L);
  }

  @Test
  void build_emptyRuleSet_isRejected() {
    assertThatThrownBy(() -> PostureEngine.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the rule set is empty");
  }

  @Test
  void check_findingsNameKeyByAlias_andWithoutAliasByArnSayingSo() {
    PostureReport r = check(RuleSet.of(failing(CRITICAL)), snapshot(key(A, List.of(), Map.of())));

    assertThat(r.findings().get(0).message())
        .isEqualTo(
            "fails the CMK arn:aws:kms:us-east-1:111122223333:key/" + A + " (it has no alias)");
  }
}
