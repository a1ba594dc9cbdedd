package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.RotationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownReportWriterTest {

  @Test
  void write_fixtureReport_matchesGoldenFileByteForByte() {
    String actual = new MarkdownReportWriter().write(ReportFixtures.report());

    assertThat(actual).isEqualTo(ReportFixtures.golden("report.md", actual));
  }

  @Test
  void write_keys_worstKeyComesFirst() {
    String md = new MarkdownReportWriter().write(ReportFixtures.report());

    // given: prod-payments has an active CRITICAL failure; the key without alias only unknowns;
    // legacy-reports only a suppressed failure; signing only a baselined one
    int payments = md.indexOf("### prod-payments");
    int orphan = md.indexOf("### arn:aws:kms:us-east-1:111122223333:key/2222");
    int legacy = md.indexOf("### legacy-reports");
    int signing = md.indexOf("### signing");

    assertThat(payments).isPositive();
    assertThat(orphan).as("a key with unknowns before keys with none").isGreaterThan(payments);
    assertThat(legacy).isGreaterThan(orphan);
    assertThat(signing).isGreaterThan(orphan);
  }

  @Test
  void write_elevatedKey_saysWhyItsPriorityIsHigher() {
    String md = new MarkdownReportWriter().write(ReportFixtures.report());

    assertThat(md)
        .contains(
            "Higher priority: its alias prod-payments says prod; it is tagged Environment=prod.");
  }

  @Test
  void write_failure_showsFixWithTheKeyIdFilledIn() {
    String md = new MarkdownReportWriter().write(ReportFixtures.report());

    assertThat(md)
        .contains("`aws kms enable-key-rotation --key-id 11111111-1111-4111-8111-111111111111`");
  }

  @Test
  void write_keyWithoutAlias_isTitledByArnAndSaysNoAlias() {
    String md = new MarkdownReportWriter().write(ReportFixtures.report());

    assertThat(md)
        .contains(
            "### arn:aws:kms:us-east-1:111122223333:key/22222222-2222-4222-8222-222222222222 (no"
                + " alias)");
  }

  @Test
  void write_suppressedFailure_isListedWithItsReason() {
    String md = new MarkdownReportWriter().write(ReportFixtures.report());

    assertThat(md).contains("suppressed (reports are re-encrypted nightly with a new key)");
  }

  @Test
  void write_emptySnapshot_warnsFirstAndNeverSaysClean() {
    String md = new MarkdownReportWriter().write(ReportFixtures.emptyReport());

    assertThat(md.lines().skip(2).findFirst().orElseThrow()).startsWith("> **Warning:**");
    assertThat(md).contains("not a clean result").doesNotContain("No active failures");
  }

  @Test
  void write_keysSharingAName_areToldApartByRegion() {
    // given: a multi-Region primary and its replica, both aliased global-sessions
    String id = "mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6";
    List<KeySnapshot> keys = new ArrayList<>();
    for (String region : List.of("us-east-1", "us-west-2")) {
      keys.add(
          KeySnapshot.builder(
                  "arn:aws:kms:" + region + ":111122223333:key/" + id, ReportFixtures.symmetric())
              .aliases(List.of("alias/global-sessions"))
              .tags(Map.of("bad", "yes"))
              .policy(ReportFixtures.ROOT_POLICY)
              .rotation(new RotationStatus(true, 365, null, null))
              .build());
    }
    PostureReport report =
        PostureEngine.builder()
            .ruleSet(ReportFixtures.rules())
            .build()
            .check(AccountSnapshot.of(ReportFixtures.ACCOUNT, ReportFixtures.NOW, keys));

    String md = new MarkdownReportWriter().write(report);

    assertThat(md)
        .contains("### global-sessions in us-east-1")
        .contains("### global-sessions in us-west-2");
  }

  @Test
  void code_textWithBacktick_usesDoubleFence() {
    assertThat(MarkdownReportWriter.code("echo `id`")).isEqualTo("`` echo `id` ``");
  }

  @Test
  void text_markdownSpecialCharacters_areEscaped() {
    assertThat(MarkdownReportWriter.text("principal * and kms:*"))
        .isEqualTo("principal \\* and kms:\\*");
  }
}
