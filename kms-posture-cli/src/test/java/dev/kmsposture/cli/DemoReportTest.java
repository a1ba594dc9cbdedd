package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo with the built-in rules: the account an audit finds. */
class DemoReportTest {
  private static final String MARKDOWN = DemoReport.markdown();

  private static int section(String title) {
    int i = MARKDOWN.indexOf("\n### " + title + "\n");
    assertThat(i).as("section %s", title).isPositive();
    return i;
  }

  private static String sectionText(String title) {
    int start = section(title);
    int end = MARKDOWN.indexOf("\n##", start + 5);
    return MARKDOWN.substring(start, end < 0 ? MARKDOWN.length() : end);
  }

  @Test
  void markdown_isDeterministic() {
    assertThat(DemoReport.markdown()).isEqualTo(MARKDOWN);
  }

  @Test
  void markdown_worstKeysComeBeforeTheWellMadeKey() {
    assertThat(section("legacy-billing")).isLessThan(section("prod-orders-ledger"));
    assertThat(section("prod-customer-pii")).isLessThan(section("prod-orders-ledger"));
    String firstKey = MARKDOWN.substring(MARKDOWN.indexOf("\n### "));
    assertThat(firstKey.substring(0, firstKey.indexOf("\nPassed:"))).contains("- **Critical**");
  }

  @Test
  void markdown_prodCustomerPii_failsRotationWithRaisedPriority() {
    assertThat(sectionText("prod-customer-pii"))
        .contains("Higher priority: its alias prod-customer-pii says prod")
        .contains("`RotationDisabled`: Rotation is disabled on the CMK named prod-customer-pii")
        .contains("`aws kms enable-key-rotation --key-id 1234abcd-12ab-34cd-56ef-1234567890ab");
  }

  @Test
  void markdown_eachPlantedProblem_isReported() {
    assertThat(sectionText("legacy-billing"))
        .contains("`KeyPendingDeletion`")
        .contains("`DeletionWindowTooShort`")
        .contains("`DeletionScheduledWithoutDisabling`");
    assertThat(
            sectionText(
                "arn:aws:kms:us-east-1:111122223333:key/3e7a9b1c-2d4f-4a6b-8c0d-1e2f3a4b5c6d (no"
                    + " alias)"))
        .contains("`UnexplainedKey`");
    assertThat(sectionText("partner-settlement-byok")).contains("`ImportedKeyMaterialExpiring`");
    assertThat(sectionText("global-sessions in us-east-1"))
        .contains("`MultiRegionReplicaInconsistent`");
    assertThat(MARKDOWN).contains("`KmsEventsNotLogged`");
  }

  @Test
  void markdown_signingKey_isNotFailedForRotation() {
    assertThat(sectionText("release-signing")).doesNotContain("`RotationDisabled`");
  }

  @Test
  void check_demoSnapshotWithBuiltInRules_exitsOne() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CheckCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));

    int code =
        cl.execute(
            Path.of("../examples/src/main/resources/demo/snapshot.json").toString(),
            "--format",
            "sarif");

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString()).contains("\"ruleId\": \"RotationDisabled\"");
  }

  @Test
  void check_withEmptyRuleSet_saysNothingCanBeChecked() throws Exception {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new CheckCommand(dev.kmsposture.rules.RuleSet::of));
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));

    int code = cl.execute("../examples/src/main/resources/demo/snapshot.json");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("no posture rules are available");
  }
}
