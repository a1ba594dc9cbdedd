package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.JournalEntry;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kms-posture provision} against the embedded KMS on 127.0.0.1. */
class ProvisionCommandTest {
  static final String KEY_ID = "AKIAPROVISIONER00001";
  static final String BLUEPRINT =
      """
      alias: alias/prod-payments-customer-pii
      description: Encrypts customer PII in the payments service database
      tags: {Owner: team-payments, Environment: prod, Purpose: customer-pii-encryption, DataClassification: restricted}
      protects: customer names, addresses and card tokens in the payments database
      blastRadius: the payments service's customer records in us-east-1
      policy:
        account: "123456789012"
        administrators: ["arn:aws:iam::123456789012:role/SecurityAdmin"]
        serviceUsers:
          - {principals: ["arn:aws:iam::123456789012:role/PaymentsApp"], services: [rds], regions: [us-east-1]}
        auditors: ["arn:aws:iam::123456789012:role/Audit"]
        breakGlass: none
      rotation: {enabled: true, periodDays: 365}
      """;

  @TempDir Path dir;

  private final LocalKms kms =
      LocalKms.builder()
          .enforcePolicies(true)
          .caller(KEY_ID, Caller.of("arn:aws:sts::123456789012:assumed-role/SecurityAdmin/ci"))
          .build();
  private final LocalKmsServer server = LocalKmsServer.start(kms);
  private final Map<String, String> env = new HashMap<>();
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  ProvisionCommandTest() {
    env.put("AWS_ACCESS_KEY_ID", KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", "local-kms-secret");
  }

  @AfterEach
  void close() {
    server.close();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return KmsPosture.run(
        args,
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        new ByteArrayInputStream(new byte[0]),
        env::get);
  }

  private Path file(String text) throws IOException {
    Path p = dir.resolve("blueprint.yaml");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private List<String> mutating() {
    List<String> calls = new ArrayList<>();
    for (JournalEntry e : kms.journal().entries()) {
      if (e.service().equals("kms") && !e.readOnly()) {
        calls.add(e.operation());
      }
    }
    return calls;
  }

  @Test
  void withoutApplyPrintsThePlanAndChangesNothing() throws IOException {
    int code =
        run(
            "provision",
            file(BLUEPRINT).toString(),
            "--endpoint-url",
            server.endpoint().toString(),
            "--region",
            "us-east-1");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Plan for alias/prod-payments-customer-pii")
        .contains("1. CreateKey [us-east-1]")
        .contains("2. CreateAlias [us-east-1]")
        .contains("3. EnableKeyRotation [us-east-1]")
        .contains("RotationPeriodInDays=365")
        .contains("caller: arn:aws:sts::123456789012:assumed-role/SecurityAdmin/ci")
        .contains("Run again with --apply");
    assertThat(mutating()).isEmpty();
  }

  @Test
  void applyCreatesVerifiesAndWritesTheAdrAndASecondApplyChangesNothing() throws IOException {
    Path adr = dir.resolve("docs/adr/prod-payments-customer-pii.md");
    String[] args = {
      "provision",
      file(BLUEPRINT).toString(),
      "--apply",
      "--endpoint-url",
      server.endpoint().toString(),
      "--adr-out",
      adr.toString()
    };
    env.put("AWS_REGION", "us-east-1");

    assertThat(run(args)).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("created alias/prod-payments-customer-pii")
        .contains("verified: ")
        .contains("rotation on every 365 days");
    assertThat(Files.readString(adr)).startsWith("# ADR: KMS key prod-payments-customer-pii");
    assertThat(mutating()).containsExactly("CreateKey", "CreateAlias", "EnableKeyRotation");

    kms.journal().clear();
    assertThat(run(args)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("calls: none");
    assertThat(mutating()).isEmpty();
  }

  @Test
  void aBlueprintTheRulesStopExitsOneWithTheFindings() throws IOException {
    int code =
        run(
            "provision",
            file(BLUEPRINT.replace("{enabled: true, periodDays: 365}", "{enabled: false}"))
                .toString(),
            "--endpoint-url",
            server.endpoint().toString(),
            "--region",
            "us-east-1",
            "--apply");

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString()).contains("The rules stop").contains("RotationDisabled");
    assertThat(mutating()).isEmpty();
  }

  @Test
  void anUnknownFieldIsBadInputNamingIt() throws IOException {
    int code =
        run(
            "provision",
            file(BLUEPRINT + "rotaton: {enabled: true}\n").toString(),
            "--region",
            "us-east-1");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).startsWith("error: ").contains("rotaton");
  }

  @Test
  void aCallerThePolicyLocksOutIsBadInputNamingTheMissingActions() throws IOException {
    int code =
        run(
            "provision",
            file(BLUEPRINT).toString(),
            "--endpoint-url",
            server.endpoint().toString(),
            "--region",
            "us-east-1",
            "--caller",
            "arn:aws:iam::123456789012:role/Pipeline");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("arn:aws:iam::123456789012:role/Pipeline")
        .contains("PutKeyPolicy");

    int added =
        run(
            "provision",
            file(BLUEPRINT).toString(),
            "--endpoint-url",
            server.endpoint().toString(),
            "--region",
            "us-east-1",
            "--caller",
            "arn:aws:iam::123456789012:role/Pipeline",
            "--add-caller-as-administrator");
    assertThat(added).as(err.toString()).isZero();
    assertThat(out.toString()).contains("arn:aws:iam::123456789012:role/Pipeline");
  }

  @Test
  void noRegionIsBadInput() throws IOException {
    int code = run("provision", file(BLUEPRINT).toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--region");
  }

  @Test
  void adrOutWithoutApplyIsBadInput() throws IOException {
    int code =
        run("provision", file(BLUEPRINT).toString(), "--region", "us-east-1", "--adr-out", "x.md");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--adr-out needs --apply");
  }
}
