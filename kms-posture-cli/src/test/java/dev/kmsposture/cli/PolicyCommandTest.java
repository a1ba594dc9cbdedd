package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Statement;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PolicyCommandTest {
  static final String ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  static final String APP = "arn:aws:iam::111122223333:role/App";

  @TempDir Path dir;

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cmd = new CommandLine(new PolicyCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return cmd.execute(args);
  }

  @Test
  void policy_adminAndUser_printsPolicyAndExitsZero() {
    // when
    int code = run("--account", "111122223333", "--admin", ADMIN, "--user", APP);
    // then
    assertThat(code).isZero();
    KeyPolicy p = KeyPolicy.parse(out.toString());
    assertThat(p.statements())
        .extracting(Statement::sid)
        .containsExactly("KeyAdministrators", "KeyUsers");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void policy_viaService_restrictsEveryUser() {
    // when
    int code =
        run(
            "--account",
            "111122223333",
            "--admin",
            ADMIN,
            "--user",
            APP,
            "--via-service",
            "s3:us-east-1",
            "--via-service",
            "ebs:us-east-1");
    // then
    assertThat(code).isZero();
    assertThat(KeyPolicy.parse(out.toString()).statements())
        .extracting(Statement::sid)
        .containsExactly("KeyAdministrators", "KeyUsersViaEbs", "KeyUsersViaS3");
  }

  @Test
  void policy_rootBreakGlass_printsPolicyAndTheRootDelegationNote() {
    int code = run("--account", "111122223333", "--break-glass", "root");
    assertThat(code).isZero();
    assertThat(err.toString())
        .startsWith("note: RECOMMENDED ROOT_DELEGATION: statement [Enable IAM");
  }

  @Test
  void policy_administratorAlsoUser_printsFindingsAndExitsOne() {
    // when
    int code = run("--account", "111122223333", "--admin", ADMIN, "--user", ADMIN);
    // then
    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            "refusing to build an insecure key policy:\n"
                + "CRITICAL ADMIN_CAN_USE: principal [arn:aws:iam::111122223333:role/KeyAdmin]"
                + " administers the key (statement [KeyAdministrators]) and uses it (statement"
                + " [KeyUsers]); keep the roles apart, or pass --allow-admin-use REASON (role file:"
                + " \"allowAdminUse\")\n");
  }

  @Test
  void policy_callerLockedOut_exitsOne() {
    int code =
        run(
            "--account",
            "111122223333",
            "--admin",
            ADMIN,
            "--caller",
            "arn:aws:iam::111122223333:role/Deployer");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("CRITICAL CALLER_LOCKED_OUT: caller [arn:aws:iam::111122223333:role/Deployer]");
  }

  @Test
  void policy_withoutAccount_exitsTwo() {
    int code = run("--admin", ADMIN);
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: no account given; pass --account ACCOUNT or set \"account\" in a role file"
                + " (--roles)\n");
  }

  @Test
  void policy_badViaService_exitsTwo() {
    int code =
        run("--account", "111122223333", "--admin", ADMIN, "--user", APP, "--via-service", "s3");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("error: --via-service [s3] is not SERVICE:REGION; expected e.g. s3:us-east-1\n");
  }

  @Test
  void policy_unknownService_exitsTwo() {
    int code =
        run(
            "--account",
            "111122223333",
            "--admin",
            ADMIN,
            "--user",
            APP,
            "--via-service",
            "kinesis:us-east-1");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: service [kinesis] is not known; expected one of s3, ebs, rds, secretsmanager,"
                + " logs, sns, sqs, efs, fsx, dynamodb\n");
  }

  @Test
  void policy_badBreakGlass_exitsTwo() {
    int code = run("--account", "111122223333", "--break-glass", "sometimes");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: break-glass [sometimes] is not valid; expected a role ARN, root or none\n");
  }

  @Test
  void policy_ambiguousKeySpec_exitsTwo() {
    int code = run("--account", "111122223333", "--admin", ADMIN, "--key-spec", "RSA_2048");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: key spec [RSA_2048] needs a usage (or is unknown); write SPEC:USAGE, such as"
                + " RSA_3072:SIGN_VERIFY\n");
  }

  @Test
  void policy_signingKeySpec_givesSignVerifyUsers() {
    int code =
        run(
            "--account",
            "111122223333",
            "--admin",
            ADMIN,
            "--user",
            APP,
            "--key-spec",
            "RSA_2048:SIGN_VERIFY");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("\"kms:Sign\"").doesNotContain("kms:Decrypt");
  }

  @Test
  void policy_unknownOption_exitsTwo() {
    assertThat(run("--account", "111122223333", "--nope")).isEqualTo(2);
  }

  @Test
  void policy_roleFile_buildsTheSamePolicyAsFlags() throws IOException {
    // given
    Path file = dir.resolve("roles.json");
    Files.writeString(
        file,
        "{\"account\": \"111122223333\", \"administrators\": [\""
            + ADMIN
            + "\"],"
            + " \"serviceUsers\": [{\"principals\": [\""
            + APP
            + "\"], \"services\": [\"s3\"],"
            + " \"regions\": [\"us-east-1\"]}], \"auditors\": [], \"breakGlass\": \"none\"}",
        StandardCharsets.UTF_8);
    // when
    int code = run("--roles", file.toString());
    String fromFile = out.toString();
    // then
    assertThat(code).isZero();
    assertThat(fromFile).isEqualTo(policyFromFlags());
  }

  @Test
  void policy_roleFileWithUnknownField_exitsTwo() throws IOException {
    Path file = dir.resolve("roles.json");
    Files.writeString(file, "{\"account\": \"111122223333\", \"admins\": []}");
    int code = run("--roles", file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "error: role file ["
                + file
                + "] at /admins: unknown field [admins]; known fields: [account, administrators,"
                + " allowAdminUse, auditors, breakGlass, caller, crossAccount, crossAccountGrants,"
                + " grantUsers, keySpec, keyUsage, partition, serviceUsers, users]\n");
  }

  @Test
  void policy_roleFileNotJson_exitsTwo() throws IOException {
    Path file = dir.resolve("roles.json");
    Files.writeString(file, "account: 111122223333");
    assertThat(run("--roles", file.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("error: role file [").contains("is not valid JSON");
  }

  @Test
  void policy_yamlRoleFile_buildsTheSamePolicyAsFlags() throws IOException {
    // given
    Path file = dir.resolve("roles.yaml");
    Files.writeString(
        file,
        "account: \"111122223333\"\n"
            + "administrators: [\""
            + ADMIN
            + "\"]\n"
            + "serviceUsers:\n"
            + "  - principals: [\""
            + APP
            + "\"]\n"
            + "    services: [s3]\n"
            + "    regions: [us-east-1]\n"
            + "breakGlass: none\n",
        StandardCharsets.UTF_8);
    // when
    int code = run("--roles", file.toString());
    String fromFile = out.toString();
    // then
    assertThat(code).isZero();
    assertThat(fromFile).isEqualTo(policyFromFlags());
  }

  /** The policy the flags equivalent to the role-file tests build. */
  private String policyFromFlags() {
    out.getBuffer().setLength(0);
    run(
        "--account",
        "111122223333",
        "--admin",
        ADMIN,
        "--user",
        APP,
        "--via-service",
        "s3:us-east-1");
    return out.toString();
  }
}
