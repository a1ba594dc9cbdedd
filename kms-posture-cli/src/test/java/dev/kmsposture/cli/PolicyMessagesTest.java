package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy} speaks in flags and role-file pointers, never in the builder's Java methods, and
 * reads its role file through the bounded reader.
 */
class PolicyMessagesTest {
  static final String ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  static final String APP = "arn:aws:iam::111122223333:role/App";

  /** A Java method or static call, such as {@code users(...)} or {@code BreakGlass.none()}. */
  static final Pattern JAVA_METHOD =
      Pattern.compile(
          "\\b[a-z][A-Za-z]+\\((\\.\\.\\.|reason|role|AccountId)?\\)|\\b[A-Z][A-Za-z]+\\.[a-z][A-Za-z]+\\b(?!\\.)");

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return KmsPosture.run(
        args,
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        new ByteArrayInputStream(new byte[0]),
        new HashMap<String, String>()::get);
  }

  @Test
  void policy_adminAlsoUser_namesTheFlagNotTheMethod() {
    int code = run("policy", "--account", "111122223333", "--admin", ADMIN, "--user", ADMIN);

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(err.toString())
        .contains("or pass --allow-admin-use REASON")
        .doesNotContain("acknowledgeAdminCanUse");
    assertThat(JAVA_METHOD.matcher(err.toString()).find()).as(err.toString()).isFalse();
  }

  @Test
  void policy_allowAdminUse_buildsThePolicyWithTheReasonNoted() {
    int code =
        run(
            "policy",
            "--account",
            "111122223333",
            "--admin",
            ADMIN,
            "--user",
            ADMIN,
            "--allow-admin-use",
            "ADR-42: the break-glass operator encrypts the recovery bundle");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).contains("\"Statement\"");
    assertThat(err.toString())
        .contains("ADMIN_CAN_USE_ACKNOWLEDGED")
        .contains("acknowledged: ADR-42: the break-glass operator encrypts the recovery bundle");
  }

  @Test
  void policy_blankAllowAdminUse_isBadInputNamingTheFlag() {
    int code =
        run(
            "policy",
            "--account",
            "111122223333",
            "--admin",
            ADMIN,
            "--user",
            ADMIN,
            "--allow-admin-use",
            " ");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).startsWith("error: --allow-admin-use needs a reason");
  }

  @Test
  void policy_adminOfAnotherAccount_namesCrossAccountFlag() {
    int code =
        run(
            "policy",
            "--account",
            "111122223333",
            "--admin",
            "arn:aws:iam::444455556666:role/Admin",
            "--user",
            APP);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("--cross-account or --auditor")
        .doesNotContain("crossAccountUsers(");
    assertThat(JAVA_METHOD.matcher(err.toString()).find()).as(err.toString()).isFalse();
  }

  @Test
  void policy_crossAccountUserOfTheKeysAccount_namesUserFlag() {
    int code =
        run(
            "policy",
            "--account",
            "111122223333",
            "--admin",
            ADMIN,
            "--cross-account",
            "arn:aws:iam::111122223333:role/B");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("name it with --user").doesNotContain("users(...)");
  }

  @Test
  void policy_rootBreakGlassNote_namesTheBreakGlassFlag() {
    int code = run("policy", "--account", "111122223333", "--break-glass", "root");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(err.toString()).contains("--break-glass ROLE_ARN or --break-glass none");
    assertThat(JAVA_METHOD.matcher(err.toString()).find()).as(err.toString()).isFalse();
  }

  @Test
  void policy_roleFileValueRejectedByTheBuilder_namesFileAndPointer() throws IOException {
    Path file = dir.resolve("roles.json");
    Files.writeString(
        file,
        "{\"account\": \"111122223333\", \"administrators\": [\""
            + ADMIN
            + "\"], \"users\": [\""
            + APP
            + "\", \"not-an-arn\"]}");

    int code = run("policy", "--roles", file.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).startsWith("error: role file [" + file + "] at /users/1: ");
    assertThat(err.toString().strip()).doesNotContain("\n");
  }

  @Test
  void policy_roleFileWrongType_namesPointer() throws IOException {
    Path file = dir.resolve("roles.json");
    Files.writeString(
        file, "{\"account\": \"111122223333\", \"serviceUsers\": [{\"principals\": [7]}]}");

    int code = run("policy", "--roles", file.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .isEqualTo(
            "error: role file [" + file + "] at /serviceUsers/0/principals/0: expected a string\n");
  }

  @Test
  void policy_roleFileDuplicateField_namesLine() throws IOException {
    Path file = dir.resolve("roles.json");
    Files.writeString(file, "{\"account\": \"111122223333\",\n \"account\": \"444455556666\"}");

    int code = run("policy", "--roles", file.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: role file [" + file + "] is not valid JSON at line 2, column ")
        .contains("Duplicate field 'account'")
        .doesNotContain("DeserializationFeature")
        .doesNotContain("Source:");
  }

  @Test
  void policy_roleFileAllowAdminUse_isTheFlagsEquivalent() throws IOException {
    Path file = dir.resolve("roles.yaml");
    Files.writeString(
        file,
        "account: \"111122223333\"\nadministrators: [\""
            + ADMIN
            + "\"]\nusers: [\""
            + ADMIN
            + "\"]\nallowAdminUse: ADR-42\n");

    int code = run("policy", "--roles", file.toString());

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(err.toString()).contains("acknowledged: ADR-42");
  }

  @Test
  void policy_roleFileFromDevZero_stopsAtTheFirstChunk() {
    int code = run("policy", "--roles", "/dev/zero");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .isEqualTo(
            "error: input file [/dev/zero] is not text: byte 0 is NUL; expected UTF-8 JSON or YAML"
                + " (a binary file, or a device such as /dev/zero?)\n");
  }

  @Test
  void policy_roleFileOverTheLimit_isRefusedBeforeParsing() throws IOException {
    Path file = dir.resolve("roles.json");
    Files.writeString(
        file, "{\"account\": \"111122223333\"}" + " ".repeat((int) InputReader.POLICY_MAX_BYTES));

    int code = run("policy", "--roles", file.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("is larger than the limit of " + InputReader.POLICY_MAX_BYTES + " bytes");
  }
}
