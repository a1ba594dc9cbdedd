package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** {@code kms-posture fix} against the embedded KMS on 127.0.0.1. */
class FixCommandTest {
  @TempDir Path dir;

  private final LocalKms kms = LocalKms.create();
  private final LocalKmsServer server = LocalKmsServer.start(kms);
  private final KmsClient client = kms.kmsClient(Region.US_EAST_1);
  private final Map<String, String> env = new HashMap<>();
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  FixCommandTest() {
    env.put("AWS_ACCESS_KEY_ID", LocalKms.DEFAULT_ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", "local-kms-secret");
    env.put("AWS_REGION", "us-east-1");
  }

  @AfterEach
  void close() {
    client.close();
    server.close();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] all = new String[args.length + 3];
    all[0] = "fix";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--endpoint-url";
    all[args.length + 2] = server.endpoint().toString();
    return KmsPosture.run(
        all,
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        new ByteArrayInputStream(new byte[0]),
        env::get);
  }

  private Path report(String arn, String other) throws IOException {
    String json =
        String.format(
            """
            {"schemaVersion": 1, "summary": {}, "rules": [], "findings": [
              {"ruleId": "RotationDisabled", "status": "FAIL", "disposition": "ACTIVE", "keyArn": "%1$s"},
              {"ruleId": "RequiredTagsMissing", "status": "FAIL", "disposition": "ACTIVE", "keyArn": "%1$s"},
              {"ruleId": "RotationDisabled", "status": "FAIL", "disposition": "SUPPRESSED", "keyArn": "%2$s"},
              {"ruleId": "KeyPolicyPublic", "status": "FAIL", "disposition": "ACTIVE", "keyArn": "%2$s"},
              {"ruleId": "RotationDisabled", "status": "PASS", "disposition": "ACTIVE", "keyArn": "%2$s"}
            ]}
            """,
            arn, other);
    Path p = dir.resolve("report.json");
    Files.writeString(p, json);
    return p;
  }

  @Test
  void plansThenAppliesTheFixesOfTheKeysAtFaultOnly() throws IOException {
    String key = client.createKey(x -> x.description("legacy")).keyMetadata().arn();
    String other = client.createKey(x -> x.description("other")).keyMetadata().arn();
    String[] args = {
      report(key, other).toString(),
      "--tag",
      "Owner=team-payments",
      "--tag",
      "Environment=prod",
      "--tag",
      "Purpose=customer-pii-encryption",
      "--tag",
      "DataClassification=restricted",
      "--alias",
      "alias/prod-payments-legacy"
    };

    assertThat(run(args)).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Remediation plan for " + key)
        .doesNotContain(other)
        .contains("EnableKeyRotation")
        .contains("TagResource")
        .contains("CreateAlias")
        .contains("Run again with --apply");
    assertThat(client.getKeyRotationStatus(x -> x.keyId(key)).keyRotationEnabled()).isFalse();

    String[] apply = java.util.Arrays.copyOf(args, args.length + 1);
    apply[args.length] = "--apply";
    assertThat(run(apply)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("verified: ").doesNotContain("problem:");
    assertThat(client.getKeyRotationStatus(x -> x.keyId(key)).keyRotationEnabled()).isTrue();
    assertThat(client.getKeyRotationStatus(x -> x.keyId(other)).keyRotationEnabled()).isFalse();
    assertThat(client.describeKey(x -> x.keyId("alias/prod-payments-legacy")).keyMetadata().arn())
        .isEqualTo(key);

    assertThat(run(apply)).isZero();
    assertThat(out.toString()).contains("calls: none");
  }

  @Test
  void scanFindsTheKeysAtFaultNowThenPlansAndAppliesTheirFixes() {
    String legacy = client.createKey(x -> x.description("legacy")).keyMetadata().arn();
    String rotating = client.createKey(x -> x.description("rotating")).keyMetadata().arn();
    client.enableKeyRotation(x -> x.keyId(rotating).rotationPeriodInDays(365));
    client.createAlias(x -> x.aliasName("alias/prod-payments-legacy").targetKeyId(legacy));
    client.createAlias(x -> x.aliasName("alias/prod-payments-rotating").targetKeyId(rotating));

    assertThat(run("--scan")).as(err.toString()).isZero();
    String plan = out.toString();
    assertThat(plan)
        .contains("Scanned 2 keys in us-east-1")
        .contains("Remediation plan for " + legacy)
        .contains("EnableKeyRotation")
        .contains("Run again with --apply");
    assertThat(client.getKeyRotationStatus(x -> x.keyId(legacy)).keyRotationEnabled()).isFalse();

    assertThat(run("--scan", "--apply")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("verified: ").doesNotContain("problem:");
    assertThat(client.getKeyRotationStatus(x -> x.keyId(legacy)).keyRotationEnabled()).isTrue();
    assertThat(client.getKeyRotationStatus(x -> x.keyId(legacy)).rotationPeriodInDays())
        .isEqualTo(365);

    // the live findings have changed: rotation is no longer planned for either key
    assertThat(run("--scan")).as(err.toString()).isZero();
    assertThat(out.toString()).doesNotContain("EnableKeyRotation");
  }

  @Test
  void scanAndAReportTogetherOrNeitherIsBadInput() throws IOException {
    String key = client.createKey(x -> x.description("legacy")).keyMetadata().arn();
    assertThat(run(report(key, key).toString(), "--scan")).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("either a REPORT or --scan, not both");
    assertThat(run()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("give a REPORT").contains("--scan");
  }

  @Test
  void aFileThatIsNotAReportIsBadInput() throws IOException {
    Path p = dir.resolve("snapshot.json");
    Files.writeString(p, "{\"keys\": []}");
    assertThat(run(p.toString())).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("is not a kms-posture JSON report");
  }

  @Test
  void aRoleFileOverTheRoleFileLimitIsBadInput() throws IOException {
    // The limit of policy --roles (1 MiB), not the 16 MiB of other inputs.
    String key = client.createKey(x -> x.description("legacy")).keyMetadata().arn();
    Path roles = dir.resolve("roles.json");
    Files.writeString(
        roles, "{\"account\": \"111122223333\"}" + " ".repeat((int) InputReader.POLICY_MAX_BYTES));

    int code = run(report(key, key).toString(), "--roles", roles.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("is larger than the limit of " + InputReader.POLICY_MAX_BYTES + " bytes");
  }

  @Test
  void aBadTagIsBadInput() throws IOException {
    String key = client.createKey(x -> x.description("legacy")).keyMetadata().arn();
    assertThat(run(report(key, key).toString(), "--tag", "Owner")).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--tag [Owner] is not KEY=VALUE");
  }
}
