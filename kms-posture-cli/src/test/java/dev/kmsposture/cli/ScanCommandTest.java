package dev.kmsposture.cli;

import static dev.kmsposture.cli.ScanFixtures.ACCOUNT;
import static dev.kmsposture.cli.ScanFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.testkit.kms.AssumableRole;
import dev.kmsposture.testkit.kms.KmsSeed;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import dev.kmsposture.testkit.kms.Organization;
import dev.kmsposture.testkit.kms.OrganizationAccount;
import dev.kmsposture.testkit.kms.SeedKey;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kms-posture scan} against the embedded KMS over real HTTP on 127.0.0.1 ({@code
 * --endpoint-url}), with the standard credential and Region resolution fed from a test environment.
 * The SDK never looks beyond loopback: the instance metadata service is switched off and the shared
 * AWS files point nowhere.
 */
class ScanCommandTest {
  static {
    ScanFixtures.isolateFromHost();
  }

  private static final String MEMBER = "210987654321";
  private static final String LOCKED = "210987654322";
  private static final String SUSPENDED = "210987654323";

  @TempDir Path dir;

  private static LocalKmsServer server;

  @BeforeAll
  static void start() {
    List<SeedKey> keys = new ArrayList<>();
    for (String account : List.of(ACCOUNT, MEMBER, LOCKED)) {
      for (int i = 0; i < 3; i++) {
        keys.add(
            ScanFixtures.key(account, i)
                .region(i == 2 ? "eu-west-1" : "us-east-1")
                .description(i == 0 ? "" : "orders " + i)
                .rotationEnabled(i == 1)
                .build());
      }
    }
    LocalKms kms =
        LocalKms.builder()
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .maxPageSize(2)
            .seed(KmsSeed.builder().keys(keys).build())
            .organization(
                Organization.builder("o-a1b2c3d4e5", AccountId.of(ACCOUNT))
                    .account(OrganizationAccount.builder(AccountId.of(MEMBER)).build())
                    .account(OrganizationAccount.builder(AccountId.of(LOCKED)).build())
                    .account(
                        OrganizationAccount.builder(AccountId.of(SUSPENDED))
                            .state("SUSPENDED")
                            .build())
                    .build())
            .assumableRole(
                AssumableRole.builder("arn:aws:iam::" + MEMBER + ":role/audit/KmsPostureAudit")
                    .trust(ACCOUNT)
                    .requireExternalId("ext-123")
                    .build())
            .build();
    server = LocalKmsServer.start(kms);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return ScanFixtures.run(out, err, env, args);
  }

  private static Map<String, String> env() {
    return ScanFixtures.env();
  }

  private String[] scan(String... more) {
    return ScanFixtures.scan(server.endpoint().toString(), more);
  }

  @Test
  void scan_thenCheckOfTheSavedSnapshot_givesTheSameReportAndExitCode() throws IOException {
    // given
    Path snapshot = dir.resolve("s.json");

    // when: scan (with the report in JSON), then check the snapshot it saved
    int scanExit =
        run(env(), scan("--snapshot-out", snapshot.toString(), "--format", "json", "--no-usage"));
    String scanReport = out.toString();
    String scanErr = err.toString();
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    int checkExit = run(env(), "check", snapshot.toString(), "--format", "json");

    // then
    assertThat(scanErr)
        .contains("scanned 3 keys in 2 Regions")
        .contains("calls per operation: DescribeKey 3,")
        .contains("wrote the snapshot to");
    AccountSnapshot saved = AccountSnapshot.parse(Files.readString(snapshot));
    assertThat(saved.account()).isEqualTo(ACCOUNT);
    assertThat(saved.keys()).hasSize(3);
    assertThat(scanReport).isNotEmpty().isEqualTo(out.toString());
    assertThat(scanExit).isEqualTo(checkExit).isEqualTo(ExitCode.FINDINGS);
  }

  @Test
  void scan_baselineOverTheGeneralFileLimit_isReadWithTheBaselineLimitOfCheck() throws IOException {
    // given: a valid baseline of 17 MiB (over the 16 MiB of other input files, under the 256 MiB
    // that check allows a baseline), as a large account's accepted failures make
    Path baseline = dir.resolve("baseline.json");
    StringBuilder json = new StringBuilder("{\"fingerprints\": [");
    for (int i = 0; json.length() < 17 * 1024 * 1024; i++) {
      json.append(i == 0 ? "" : ",").append(String.format("\"%032x\"", i));
    }
    Files.writeString(baseline, json.append("]}"));

    // when
    int exit = run(env(), scan("--no-usage", "--baseline", baseline.toString()));

    // then: read, not refused as too large
    assertThat(err.toString()).doesNotContain("baseline [");
    assertThat(exit).isEqualTo(ExitCode.FINDINGS);
  }

  @Test
  void scan_markdown_printsTheReportAndTheVerdict() {
    int exit = run(env(), scan("--no-usage", "--fail-on", "optional"));

    assertThat(exit).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString()).contains("orders-1");
    assertThat(err.toString()).contains("keys checked");
    assertThat(err.toString()).doesNotContain("\r").as("no progress bar when not a terminal");
  }

  @Test
  void scan_withoutCredentials_saysWhatToSetAndExits2() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "us-east-1");

    int exit = run(env, scan());

    assertThat(exit).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        .doesNotContain("\tat ");
  }

  @Test
  void scan_withoutRegion_saysWhatToSetAndExits2() {
    Map<String, String> env = env();
    env.remove("AWS_REGION");

    int exit = run(env, "scan", "--endpoint-url", server.endpoint().toString());

    assertThat(exit).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: no AWS Region: pass --region R (or --all-regions), set AWS_REGION");
  }

  @Test
  void scan_accounts_oneSnapshotPerAccountAndACombinedReport() throws IOException {
    // given: the scanner's own account, a member with the audit role, and one without it
    Path accounts =
        Files.writeString(
            dir.resolve("accounts.txt"), ACCOUNT + "\n# members\n" + MEMBER + "\n" + LOCKED + "\n");
    Path snapshots = dir.resolve("snapshots");

    // when
    int exit =
        run(
            env(),
            scan(
                "--accounts",
                accounts.toString(),
                "--role-arn-pattern",
                "arn:aws:iam::{account}:role/audit/KmsPostureAudit",
                "--external-id",
                "ext-123",
                "--snapshot-dir",
                snapshots.toString(),
                "--no-usage"));

    // then
    assertThat(exit).isEqualTo(ExitCode.FINDINGS);
    assertThat(snapshots.resolve(ACCOUNT + ".json")).exists();
    assertThat(snapshots.resolve(MEMBER + ".json")).exists();
    assertThat(snapshots.resolve(LOCKED + ".json")).doesNotExist();
    assertThat(snapshots.resolve(MEMBER + ".report.md")).exists();
    assertThat(AccountSnapshot.parse(Files.readString(snapshots.resolve(MEMBER + ".json"))).keys())
        .hasSize(3)
        .allSatisfy(k -> assertThat(k.account()).isEqualTo(MEMBER));
    assertThat(out.toString())
        .startsWith("# Organization scan")
        .contains(
            "| "
                + LOCKED
                + " |  | failed | 0 | 0 | cannot assume the audit role arn:aws:iam::"
                + LOCKED
                + ":role/audit/KmsPostureAudit")
        .contains("## Account " + ACCOUNT)
        .contains("## Account " + MEMBER);
    assertThat(err.toString())
        .contains("account " + LOCKED + " failed: cannot assume the audit role")
        .contains("3 accounts: 2 scanned, 1 could not be scanned, 0 skipped");
  }

  @Test
  void scan_organization_listsTheAccountsThroughTheEndpointAndReportsEveryOne() {
    // given: the organization of the account the scan runs in: a member with the audit role, one
    // without it, and a suspended one
    Path snapshots = dir.resolve("org");

    // when
    int exit =
        run(
            env(),
            scan(
                "--organization",
                "--role-arn-pattern",
                "arn:aws:iam::{account}:role/audit/KmsPostureAudit",
                "--external-id",
                "ext-123",
                "--snapshot-dir",
                snapshots.toString(),
                "--no-usage"));

    // then
    assertThat(exit).isEqualTo(ExitCode.FINDINGS);
    assertThat(snapshots.resolve(ACCOUNT + ".json")).exists();
    assertThat(snapshots.resolve(MEMBER + ".json")).exists();
    assertThat(snapshots.resolve(LOCKED + ".json")).doesNotExist();
    assertThat(snapshots.resolve(SUSPENDED + ".json")).doesNotExist();
    assertThat(err.toString())
        .contains("account " + LOCKED + " failed: cannot assume the audit role")
        .contains("account " + SUSPENDED + " skipped: ")
        .contains("SUSPENDED")
        .contains("4 accounts: 2 scanned, 1 could not be scanned, 1 skipped");
  }

  @Test
  void scan_accountsAsJson_combinesTheReportsIntoOneDocument() throws IOException {
    Path accounts = Files.writeString(dir.resolve("accounts.txt"), ACCOUNT + "\n" + MEMBER + "\n");

    int exit =
        run(
            env(),
            scan(
                "--accounts",
                accounts.toString(),
                "--role-arn-pattern",
                "arn:aws:iam::{account}:role/audit/KmsPostureAudit",
                "--external-id",
                "ext-123",
                "--snapshot-dir",
                dir.resolve("s").toString(),
                "--format",
                "json",
                "--no-usage"));

    assertThat(exit).isEqualTo(ExitCode.FINDINGS);
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
    assertThat(tree.get("accounts")).hasSize(2);
    assertThat(tree.get("reports")).hasSize(2);
    assertThat(tree.get("reports").get(1).get("summary").get("account").asText()).isEqualTo(MEMBER);
  }

  @Test
  void scan_badOptions_areBadInputBeforeAnyCall() {
    assertThat(run(env(), scan("--usage-window", "120d"))).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--usage-window [120d] is not between 1m and 90d");
    err.getBuffer().setLength(0);

    assertThat(run(env(), scan("--organization"))).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--organization needs --snapshot-dir DIR");
    err.getBuffer().setLength(0);

    assertThat(run(env(), scan("--role-name", "Audit"))).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("need --organization or --accounts");
    err.getBuffer().setLength(0);

    assertThat(run(env(), scan("--format", "yaml"))).isEqualTo(ExitCode.BAD_INPUT);
    err.getBuffer().setLength(0);

    assertThat(run(env(), "scan", "--endpoint-url", "not a url")).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--endpoint-url [not a url] is not a URL");
  }

  @Test
  void scan_outputThatIsAnInputOrAnotherOutput_isRefusedBeforeTheScan() throws IOException {
    int calls = server.localKms().journal().entries().size();
    String same = dir.resolve("same.json").toString();
    assertThat(run(env(), scan("--snapshot-out", same, "--output", same)))
        .isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("--snapshot-out [" + same + "] is the same file as --output [" + same + "]");
    err.getBuffer().setLength(0);

    Path config = Files.writeString(dir.resolve("config.yaml"), "{}\n");
    assertThat(run(env(), scan("--config", config.toString(), "--snapshot-out", config.toString())))
        .isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("--snapshot-out [" + config + "] is the input file [" + config + "]");
    assertThat(Files.readString(config)).isEqualTo("{}\n");
    assertThat(server.localKms().journal().entries()).as("no call was made").hasSize(calls);
  }

  @Test
  void duration_forms() {
    assertThat(ScanCommand.duration("--x", "30d", java.time.Duration.ofDays(90)))
        .isEqualTo(java.time.Duration.ofDays(30));
    assertThat(ScanCommand.duration("--x", "12h", java.time.Duration.ofDays(90)))
        .isEqualTo(java.time.Duration.ofHours(12));
  }
}
