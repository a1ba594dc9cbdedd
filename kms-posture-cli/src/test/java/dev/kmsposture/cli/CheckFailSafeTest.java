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
import dev.kmsposture.snapshot.KeySnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code check} is fail-safe: a rule at or above {@code --fail-on} that could not be checked fails
 * the run and is named in the verdict, unless {@code --allow-unknown}.
 */
class CheckFailSafeTest {
  /** The demo's well-made key, which passes every critical rule. */
  static final String LEDGER =
      "arn:aws:kms:us-east-1:111122223333:key/0b9e2f4a-7c1d-4e8b-9a3f-5d6c7e8f9a01";

  /** A public policy that does not parse: its statement gives Principal twice. */
  static final String PRINCIPAL_TWICE =
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"Open\", \"Effect\": \"Allow\","
          + " \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Principal\": \"*\","
          + " \"Action\": \"kms:*\", \"Resource\": \"*\"}]}";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Supplier<RuleSet> rules, String... args) {
    CommandLine cl = new CommandLine(new CheckCommand(rules));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** The demo snapshot reduced to its well-made key, with {@code policy} as its key policy. */
  static AccountSnapshot ledgerWithPolicy(String policy) {
    AccountSnapshot demo = DemoReport.snapshot();
    KeySnapshot ledger = demo.key(LEDGER).orElseThrow().toBuilder().policy(policy).build();
    return AccountSnapshot.builder()
        .account(demo.account())
        .partition(demo.partition())
        .regions(List.of("us-east-1"))
        .capturedAt(demo.capturedAt())
        .keys(List.of(ledger))
        .aliases(
            demo.aliases().stream().filter(a -> ledger.keyId().equals(a.targetKeyId())).toList())
        .trails(demo.trails())
        .build();
  }

  private Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void check_publicPolicyThatDoesNotParse_failsTheRunAndNamesTheRule() throws Exception {
    // given: on main this exited 0, "none at critical or worse"
    Path snapshot = write("twice.json", ledgerWithPolicy(PRINCIPAL_TWICE).toJson());

    // when
    int code = run(CheckCommand::builtInRules, snapshot.toString());

    // then
    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(err.toString())
        .contains("1 key checked: 0 critical,")
        .contains(" results could not be checked (")
        .contains("; failing because ")
        .contains(" critical or worse results could not be checked: ")
        .contains("KeyPolicyPublic on prod-orders-ledger")
        .contains("--allow-unknown accepts unknowns")
        .doesNotContain("none at critical");
  }

  @Test
  void check_publicPolicyThatDoesNotParseWithAllowUnknown_passesAndSaysSo() throws Exception {
    Path snapshot = write("twice.json", ledgerWithPolicy(PRINCIPAL_TWICE).toJson());

    int code = run(CheckCommand::builtInRules, snapshot.toString(), "--allow-unknown");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(err.toString())
        .contains("; none at critical or worse, but ")
        .contains(" at critical or worse could not be checked (accepted by --allow-unknown)");
  }

  @Test
  void check_unparseablePolicy_markdownCountsUnknownsBySeverity() throws Exception {
    Path snapshot = write("twice.json", ledgerWithPolicy(PRINCIPAL_TWICE).toJson());

    run(CheckCommand::builtInRules, snapshot.toString());

    assertThat(out.toString())
        .contains("| Severity | Active failures | Could not check |")
        .containsPattern("\\| Critical \\| 0 \\| [1-9][0-9]* \\|");
  }

  // ---- with one test rule, to pin the verdict's wording -------------------------------------

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

  private static RuleSet unknownRule(Severity severity) {
    RuleInfo info = info("TestCannotTell", severity);
    return RuleSet.of(
        new KeyRule() {
          @Override
          public RuleInfo info() {
            return info;
          }

          @Override
          public List<Finding> check(KeySnapshot key, RuleContext context) {
            return List.of(Finding.unknown(info, key, "cannot tell for " + context.describe(key)));
          }
        });
  }

  @Test
  void check_criticalUnknown_verdictLineIsExact() throws Exception {
    Path snapshot = write("s.json", ledgerWithPolicy(PRINCIPAL_TWICE).toJson());

    int code = run(() -> unknownRule(Severity.CRITICAL), snapshot.toString());

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(err.toString())
        .isEqualTo(
            "1 key checked: 0 critical, 0 recommended, 0 optional active failures; 1 result could"
                + " not be checked (1 critical, 0 recommended, 0 optional); failing because 1"
                + " critical or worse result could not be checked: TestCannotTell on"
                + " prod-orders-ledger (an unreadable policy is no better than a bad one;"
                + " --allow-unknown accepts unknowns)\n");
  }

  @Test
  void check_unknownBelowFailOn_doesNotFailButIsCounted() throws Exception {
    Path snapshot = write("s.json", ledgerWithPolicy(PRINCIPAL_TWICE).toJson());

    int code = run(() -> unknownRule(Severity.OPTIONAL), snapshot.toString());

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(err.toString())
        .isEqualTo(
            "1 key checked: 0 critical, 0 recommended, 0 optional active failures; 1 result could"
                + " not be checked (0 critical, 0 recommended, 1 optional); none at critical or"
                + " worse\n");
  }

  @Test
  void check_unknownAtFailOnOptional_fails() throws Exception {
    Path snapshot = write("s.json", ledgerWithPolicy(PRINCIPAL_TWICE).toJson());

    int code =
        run(() -> unknownRule(Severity.OPTIONAL), snapshot.toString(), "--fail-on", "optional");

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
  }

  @Test
  void check_suppressionDoesNotCoverAnUnknown() throws Exception {
    Path snapshot = write("s.json", ledgerWithPolicy(PRINCIPAL_TWICE).toJson());
    Path config =
        write(
            "config.yaml",
            "suppressions:\n  - ruleId: TestCannotTell\n    keyPattern: '*'\n    reason: known\n");

    int code =
        run(
            () -> unknownRule(Severity.CRITICAL),
            snapshot.toString(),
            "--config",
            config.toString());

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
  }

  // ---- a key policy is not a snapshot -------------------------------------------------------

  @Test
  void check_givenAKeyPolicy_saysWhichCommandsReadIt() throws Exception {
    Path policy =
        write(
            "kp.json",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");

    int code = run(CheckCommand::builtInRules, policy.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .isEqualTo(
            "error: snapshot ["
                + policy
                + "]: this is a key policy, not a snapshot: use `kms-posture validate` or"
                + " `kms-posture analyze` for a policy; `check` reads account snapshots"
                + " (docs/snapshot-schema.md)\n");
  }

  @Test
  void check_snapshotWithWrongTypes_namesNoJavaInternals() throws Exception {
    String json = DemoReport.snapshot().toJson();
    for (String bad :
        List.of(
            json.replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : null"),
            json.replaceFirst("\"enabled\" : (true|false)", "\"enabled\" : null"),
            json.replaceFirst("\"enabled\" : (true|false)", "\"enabled\" : \"yes\""),
            json.replaceFirst("\"tags\" : \\{", "\"tags\" : [ ], \"x\" : {"),
            json.replaceFirst("\"capturedAt\" : \"[^\"]*\"", "\"capturedAt\" : \"yesterday\""))) {
      err.getBuffer().setLength(0);
      Path file = write("bad.json", bad);

      int code = run(CheckCommand::builtInRules, file.toString());

      assertThat(code).as(bad.substring(0, 40)).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(err.toString())
          .startsWith("error: snapshot [" + file + "]: invalid snapshot at [/")
          .doesNotContain("FAIL_ON_")
          .doesNotContain("java.")
          .doesNotContain("JsonToken")
          .doesNotContain("Source:")
          .doesNotContain("`");
      assertThat(err.toString().strip()).doesNotContain("\n");
    }
  }
}
