package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.RotationStatus;
import dev.kmsposture.testing.TestKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static RuleInfo info(String id, Severity severity) {
    return RuleInfo.builder()
        .id(RuleId.of(id))
        .summary("Summary of " + id)
        .severity(severity)
        .rationale("Rationale of " + id)
        .checklistItem("Checklist item of " + id)
        .remediation(new Remediation("Fix it.", "aws kms fix --key-id <key-id>", "kms.fix()"))
        .tags(List.of("lifecycle"))
        .build();
  }

  private static final RuleInfo PENDING = info("TestPendingDeletion", Severity.CRITICAL);
  private static final RuleInfo ROTATION = info("TestRotationDisabled", Severity.RECOMMENDED);

  /** Test rules: a critical one (pending deletion) and a recommended one (rotation disabled). */
  static RuleSet testRules() {
    KeyRule pending =
        new KeyRule() {
          @Override
          public RuleInfo info() {
            return PENDING;
          }

          @Override
          public List<Finding> check(KeySnapshot key, RuleContext context) {
            return List.of(
                key.metadata().isPendingDeletion()
                    ? Finding.fail(PENDING, key, context.describe(key) + " is pending deletion")
                    : Finding.pass(PENDING, key, "not pending deletion"));
          }
        };
    KeyRule rotation =
        new KeyRule() {
          @Override
          public RuleInfo info() {
            return ROTATION;
          }

          @Override
          public List<Finding> check(KeySnapshot key, RuleContext context) {
            if (!key.metadata().isSymmetricEncryption() || key.rotation() == null) {
              return List.of(Finding.notApplicable(ROTATION, key, "not judged"));
            }
            return List.of(
                key.rotation().enabled()
                    ? Finding.pass(ROTATION, key, "enabled")
                    : Finding.fail(
                        ROTATION, key, "Rotation is disabled on " + context.describe(key)));
          }
        };
    return RuleSet.of(pending, rotation);
  }

  private int run(String... args) {
    CommandLine cl = new CommandLine(new CheckCommand(CheckCommandTest::testRules));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void check_snapshotLargerThanThePolicyLimit_isRead() throws Exception {
    // 10,000 keys are about 20 MB: snapshots get their own limit (1 GiB), not the 16 MiB one.
    Path file = dir.resolve("large.json");
    Files.writeString(
        file, DemoReport.snapshot().toJson() + " ".repeat((int) InputReader.DEFAULT_MAX_BYTES + 1));

    int code = run(file.toString(), "--format", "json");

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString()).startsWith("{").contains("\"findings\"");
  }

  private Path demo() throws Exception {
    Path file = dir.resolve("snapshot.json");
    Files.writeString(file, DemoReport.snapshot().toJson());
    return file;
  }

  /** A snapshot with one enabled key whose rotation is disabled: only a recommended failure. */
  private Path rotationOnly() throws Exception {
    KeyMetadata m = TestKeys.metadata().build();
    KeySnapshot key =
        KeySnapshot.builder(
                "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111", m)
            .aliases(List.of("alias/app"))
            .rotation(new RotationStatus(false, null, null, null))
            .build();
    Path file = dir.resolve("rotation.json");
    Files.writeString(
        file,
        AccountSnapshot.of("111122223333", Instant.parse("2026-11-28T09:00:00Z"), List.of(key))
            .toJson());
    return file;
  }

  @Test
  void check_demoWithCriticalFailure_exitsOneAndPrintsMarkdown() throws Exception {
    int code = run(demo().toString());

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString())
        .startsWith("# KMS key posture of account 111122223333, 2026-11-28")
        .contains("### legacy-billing");
    assertThat(err.toString()).contains("failing because of critical or worse");
  }

  @Test
  void check_onlyRecommendedFailureWithDefaultFailOn_exitsZero() throws Exception {
    int code = run(rotationOnly().toString());

    assertThat(code).as(err.toString()).isEqualTo(ExitCode.OK);
    assertThat(err.toString()).contains("0 critical, 1 recommended").contains("none at critical");
  }

  @Test
  void check_onlyRecommendedFailureWithFailOnRecommended_exitsOne() throws Exception {
    int code = run(rotationOnly().toString(), "--fail-on", "recommended");

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
  }

  @Test
  void check_formatSarifToOutputFile_writesTheFileAndNothingOnStdout() throws Exception {
    Path report = dir.resolve("out/report.sarif");

    int code = run(demo().toString(), "--format", "sarif", "--output", report.toString());

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString()).isEmpty();
    assertThat(Files.readString(report)).contains("\"version\": \"2.1.0\"");
    assertThat(err.toString()).contains("wrote the sarif report to " + report);
  }

  @Test
  void check_formatJson_printsTheJsonReport() throws Exception {
    int code = run(rotationOnly().toString(), "--format", "JSON");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).startsWith("{\n  \"schemaVersion\": 1,");
  }

  @Test
  void check_writeBaselineThenCheckWithIt_exitsZero() throws Exception {
    Path snapshot = demo();
    Path baseline = dir.resolve("baseline.json");
    assertThat(run(snapshot.toString(), "--write-baseline", baseline.toString()))
        .as("writing the baseline is what was asked")
        .isEqualTo(ExitCode.OK);

    int code = run(snapshot.toString(), "--baseline", baseline.toString());

    assertThat(code).as("every failure is known in the baseline").isEqualTo(ExitCode.OK);
    assertThat(Files.readString(baseline)).contains("\"fingerprints\"");
  }

  @Test
  void check_snapshotWithUnknownField_exitsTwoNamingThePointer() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(
        file,
        DemoReport.snapshot().toJson().replaceFirst("\"keyId\"", "\"colour\": 1,\n\"keyId\""));

    int code = run(file.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: snapshot [" + file + "]: invalid snapshot at [/keys/0/colour]");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void check_missingSnapshot_exitsTwo() {
    int code = run(dir.resolve("nothing.json").toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void check_configWithUnknownSetting_exitsTwoNamingTheSetting() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "unusedDayz: 30\n");

    int code = run(demo().toString(), "--config", config.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("unknown configuration setting [unusedDayz]");
  }

  @Test
  void check_configOverride_isApplied() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "unusedDays: 30\n");

    int code = run(rotationOnly().toString(), "--config", config.toString());

    assertThat(code).isEqualTo(ExitCode.OK);
  }

  @Test
  void check_unknownFormat_exitsTwo() throws Exception {
    int code = run(demo().toString(), "--format", "html");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("report format [html] is not known; expected json, sarif, markdown or asff");
  }

  @Test
  void check_unknownFailOn_exitsTwo() throws Exception {
    int code = run(demo().toString(), "--fail-on", "high");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("--fail-on [high] is not a severity; expected critical, recommended or optional");
  }

  @Test
  void check_malformedBaseline_exitsTwo() throws Exception {
    Path baseline = dir.resolve("baseline.json");
    Files.writeString(baseline, "[]");

    int code = run(demo().toString(), "--baseline", baseline.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("baseline [" + baseline + "]");
  }

  @Test
  void check_emptySnapshot_exitsOneAndSaysItIsNotClean() throws Exception {
    Path file = dir.resolve("empty.json");
    Files.writeString(
        file,
        AccountSnapshot.of("111122223333", Instant.parse("2026-11-28T09:00:00Z"), List.of())
            .toJson());

    int code = run(file.toString());

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(err.toString()).contains("not a clean result");
  }

  @Test
  void check_sameSnapshotTwice_writesIdenticalOutput() throws Exception {
    Path snapshot = demo();
    run(snapshot.toString(), "--format", "asff");
    String first = out.toString();
    out.getBuffer().setLength(0);

    run(snapshot.toString(), "--format", "asff");

    assertThat(out.toString()).isEqualTo(first);
  }

  @Test
  void check_throughTheRootCommand_isRegisteredWithHelp() {
    CommandLine cl = new CommandLine(new CheckCommand(CheckCommandTest::testRules));
    StringWriter help = new StringWriter();
    cl.setOut(new PrintWriter(help, true));

    int code = cl.execute("--help");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(help.toString())
        .contains("check [-hV]")
        .contains("--fail-on=SEVERITY")
        .contains("--write-baseline=B.json");
  }
}
