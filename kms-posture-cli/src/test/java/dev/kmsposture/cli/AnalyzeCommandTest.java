package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {

  static final String ROOT =
      "{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}";
  static final String PUBLIC_DECRYPT =
      "{\"Sid\": \"Open\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
          + " \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\":"
          + " {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}}";

  @TempDir Path dir;

  /** The outcome of one run: exit code, standard output and standard error. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new AnalyzeCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  Path write(String name, String... statements) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}");
    return file;
  }

  @Test
  void analyze_defaultPolicy_printsTableAndExitsZero() throws IOException {
    // given
    Path policy = write("policy.json", ROOT);

    // when
    Run run = run("--policy", policy.toString(), "--account", "111122223333");

    // then
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            """
              account 111122223333 (via IAM)
                actions: every action a key policy can allow (kms:*)
            """)
        .contains("    from: /Statement/0 (Sid \"Root\")")
        .contains("Public: no (NOT_PUBLIC)")
        .contains("Lockout risk: no - ");
  }

  @Test
  void analyze_publicPolicy_exitsOneAndSaysWhy() throws IOException {
    // given
    Path policy = write("policy.json", ROOT, PUBLIC_DECRYPT);

    // when
    Run run = run("--policy", policy.toString(), "--account", "111122223333");

    // then
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("Public: YES (PUBLIC)")
        .contains(
            "  - /Statement/1 (Sid \"Open\"): allows kms:Decrypt to anyone (Principal \"*\") and"
                + " no condition narrows");
  }

  @Test
  void analyze_jsonFormat_hasTopLevelBooleans() throws IOException {
    // given
    Path policy = write("policy.json", ROOT, PUBLIC_DECRYPT);

    // when
    Run run = run("--policy", policy.toString(), "--account", "111122223333", "--format", "json");

    // then
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.get("public").asBoolean()).isTrue();
    assertThat(json.get("crossAccount").asBoolean()).isTrue();
    assertThat(json.get("lockoutRisk").asBoolean()).isFalse();
    assertThat(json.get("publicStatements").get(0).get("pointer").asText())
        .isEqualTo("/Statement/1");
    assertThat(json.get("entries").size()).isEqualTo(2);
  }

  @Test
  void analyze_sameInputTwice_byteIdenticalOutput() throws IOException {
    Path policy = write("policy.json", ROOT, PUBLIC_DECRYPT);

    Run first = run("--policy", policy.toString(), "--account", "111122223333", "--format", "json");
    Run second =
        run("--policy", policy.toString(), "--account", "111122223333", "--format", "json");

    assertThat(first.out()).isEqualTo(second.out());
  }

  @Test
  void analyze_callerLockedOut_exitsOne() throws IOException {
    // given
    Path policy =
        write(
            "policy.json",
            "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
                + " \"arn:aws:iam::111122223333:role/Admin\"}, \"Action\": \"kms:*\", \"Resource\":"
                + " \"*\"}");

    // when
    Run run =
        run(
            "--policy",
            policy.toString(),
            "--account",
            "111122223333",
            "--caller",
            "arn:aws:iam::111122223333:role/Deployer");

    // then
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "Lockout safety check for the caller: FAILS - no Allow statement gives"
                + " kms:PutKeyPolicy to the caller");
  }

  @Test
  void analyze_invalidPolicy_exitsTwoWithPointer() throws IOException {
    // given
    Path policy = dir.resolve("bad.json");
    Files.writeString(
        policy,
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Maybe\", \"Principal\":"
            + " \"*\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}");

    // when
    Run run = run("--policy", policy.toString(), "--account", "111122223333");

    // then
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("policy file [" + policy + "]: invalid key policy at [/Statement/0/Effect]");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void analyze_missingFile_exitsTwo() {
    Path missing = dir.resolve("missing.json");

    Run run = run("--policy", missing.toString(), "--account", "111122223333");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: input file [" + missing + "] does not exist" + System.lineSeparator());
  }

  @Test
  void analyze_badAccount_exitsTwo() throws IOException {
    Path policy = write("policy.json", ROOT);

    Run run = run("--policy", policy.toString(), "--account", "1234");

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("account id [1234] is not valid; expected exactly 12 digits");
  }

  static final String PARTNER_DECRYPT =
      "{\"Sid\": \"Partner\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::444455556666:role/Partner\"}, \"Action\": \"kms:Decrypt\","
          + " \"Resource\": \"*\"}";

  @Test
  void analyze_diffGrantsNewAccess_exitsOneAndPrintsAddedAccess() throws IOException {
    // given
    Path old = write("old.json", ROOT);
    Path proposed = write("new.json", ROOT, PARTNER_DECRYPT);

    // when
    Run run =
        run("--policy", proposed.toString(), "--account", "111122223333", "--diff", old.toString());

    // then
    assertThat(run.code()).as(run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("Access diff against " + old + " (")
        .contains("  new access: YES")
        .contains(
            "  + arn:aws:iam::444455556666:role/Partner: kms:Decrypt [no request context] (denied"
                + " -> allowed if IAM allows)")
        .contains("  removed access: none");
  }

  @Test
  void analyze_diffWithoutNewAccess_exitsZero() throws IOException {
    // given
    Path old = write("old.json", ROOT, PARTNER_DECRYPT);
    Path proposed = write("new.json", ROOT);

    // when
    Run run =
        run(
            "--policy",
            proposed.toString(),
            "--account",
            "111122223333",
            "--diff",
            old.toString(),
            "--format",
            "json");

    // then
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode diff = new ObjectMapper().readTree(run.out()).get("diff");
    assertThat(diff.get("grantsNewAccess").asBoolean()).isFalse();
    assertThat(diff.get("removesAccess").asBoolean()).isTrue();
    assertThat(diff.get("removed").get(0).asText())
        .startsWith("- arn:aws:iam::444455556666:role/Partner: kms:Decrypt");
  }
}
