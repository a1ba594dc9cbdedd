package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
  private static final String CLEAN =
      "{\"Statement\": [{\"Resource\": \"*\", \"Action\": \"kms:*\", \"Effect\": \"Allow\","
          + " \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}}], \"Version\":"
          + " \"2012-10-17\"}";

  private static final String CANONICAL =
      """
      {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Principal": {
              "AWS": "arn:aws:iam::111122223333:root"
            },
            "Action": "kms:*",
            "Resource": "*"
          }
        ]
      }
      """;

  /** Two issues: a missing Version and an empty condition-value list. */
  private static final String RISKY =
      "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"},"
          + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\":"
          + " {\"kms:ViaService\": []}}}]}";

  /** KMS rejects it: Effect "Maybe" in the second statement. */
  private static final String BROKEN =
      "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\"},"
          + " {\"Effect\": \"Maybe\", \"Principal\": \"*\"}]}";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ObjectMapper mapper = new ObjectMapper();

  private int run(String stdin, String... args) {
    CommandLine cl =
        new CommandLine(
            new ValidateCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p.toString();
  }

  @Test
  void validate_cleanPolicy_printsCanonicalFormAndExits0() throws IOException {
    int code = run("", file("clean.json", CLEAN));

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).isEqualTo(CANONICAL);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void validate_policyWithIssues_printsIssuesWithPointersAndExits1() throws IOException {
    // given
    String path = file("risky.json", RISKY);

    // when
    int code = run("", path);

    // then
    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString().lines())
        .containsExactly(
            "RECOMMENDED MISSING_VERSION at /: the policy has no Version, so IAM applies the"
                + " 2008-10-17 rules and ${...} policy variables are literal text; add \"Version\":"
                + " \"2012-10-17\"",
            "CRITICAL EMPTY_CONDITION_VALUES at /Statement/0/Condition/StringEquals/kms:ViaService:"
                + " condition [StringEquals kms:ViaService] has an empty value list, so it never"
                + " matches a request that has the key; this Allow grants (almost) nothing; list the"
                + " values it should match",
            "2 issues in " + path);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void validate_rejectedPolicy_printsErrorAtPointerOnStderrAndExits2() throws IOException {
    int code = run("", file("broken.json", BROKEN));

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .isEqualTo(
            "error at /Statement/1/Effect: Effect [Maybe] is not valid; expected \"Allow\" or"
                + " \"Deny\""
                + System.lineSeparator());
  }

  @Test
  void validate_malformedJsonAtRoot_pointerShownAsSlash() throws IOException {
    int code = run("", file("array.json", "[]"));

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error at /: the document is an array; a key policy is a JSON object");
  }

  @Test
  void validate_missingFile_exits2WithMessage() {
    String missing = dir.resolve("nope.json").toString();

    int code = run("", missing);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).startsWith("error: input file [" + missing + "] does not exist");
  }

  @Test
  void validate_invalidUtf8File_exits2() throws IOException {
    Path p = dir.resolve("latin1.json");
    Files.write(p, new byte[] {'{', (byte) 0xE9, '}'});

    int code = run("", p.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("is not valid UTF-8 text");
  }

  @Test
  void validate_dashReadsStdin() {
    int code = run(CLEAN, "-");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString()).isEqualTo(CANONICAL);
  }

  @Test
  void validate_stdinWithIssues_namesStandardInput() {
    int code = run(RISKY, "-");

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString()).endsWith("2 issues in standard input" + System.lineSeparator());
  }

  @Test
  void validate_keyArn_judgesResourcesAgainstTheKey() throws IOException {
    // given
    String path =
        file(
            "resource.json",
            CLEAN.replace(
                "\"Resource\": \"*\"",
                "\"Resource\": \"arn:aws:kms:us-east-1:111122223333:key/other\""));

    // when
    int code = run("", path, "--key-arn", "arn:aws:kms:us-east-1:111122223333:key/mine");

    // then
    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString())
        .contains("RESOURCE_NOT_THIS_KEY at /Statement/0/Resource")
        .contains("is not this key (arn:aws:kms:us-east-1:111122223333:key/mine)");
  }

  @Test
  void validate_keyArnNotAnArn_usageError() throws IOException {
    int code = run("", file("clean.json", CLEAN), "--key-arn", "mine");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--key-arn [mine] is not an ARN");
  }

  @Test
  void validate_unknownFormat_usageError() throws IOException {
    int code = run("", file("clean.json", CLEAN), "--format", "yaml");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--format [yaml] is not supported; expected text or json");
  }

  @Test
  void validate_missingArgument_usageError() {
    int code = run("");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("Missing required parameter: 'POLICY.json'");
  }

  @Test
  void validate_help_describesTheCommand() {
    int code = run("", "--help");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .contains("Usage: validate [-hV] [--format=FORMAT] [--key-arn=ARN] POLICY.json")
        .contains("Parse a key policy strictly");
  }

  @Test
  void validateJson_cleanPolicy_validWithCanonicalPolicy() throws IOException {
    // when
    int code = run("", file("clean.json", CLEAN), "--format", "json");

    // then
    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .isEqualTo(
            "{\"valid\":true,\"policy\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":"
                + "\"kms:*\",\"Resource\":\"*\"}]},\"issues\":[]}"
                + System.lineSeparator());
  }

  @Test
  void validateJson_issues_listedWithKindLevelPointerMessage() throws IOException {
    // when
    int code = run("", file("risky.json", RISKY), "--format=JSON");

    // then
    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    JsonNode result = mapper.readTree(out.toString());
    assertThat(result.get("valid").asBoolean()).isFalse();
    assertThat(result.get("policy").get("Statement").get(0).get("Effect").asText())
        .isEqualTo("Allow");
    assertThat(result.get("issues")).hasSize(2);
    JsonNode second = result.get("issues").get(1);
    assertThat(second.get("kind").asText()).isEqualTo("EMPTY_CONDITION_VALUES");
    assertThat(second.get("level").asText()).isEqualTo("CRITICAL");
    assertThat(second.get("pointer").asText())
        .isEqualTo("/Statement/0/Condition/StringEquals/kms:ViaService");
    assertThat(second.get("message").asText())
        .startsWith("condition [StringEquals kms:ViaService]");
    assertThat(result.has("error")).isFalse();
  }

  @Test
  void validateJson_rejectedPolicy_errorWithPointerAndNullPolicy() throws IOException {
    // when
    int code = run("", file("broken.json", BROKEN), "--format", "json");

    // then
    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    JsonNode result = mapper.readTree(out.toString());
    assertThat(result.get("valid").asBoolean()).isFalse();
    assertThat(result.get("policy").isNull()).isTrue();
    assertThat(result.get("issues")).isEmpty();
    assertThat(result.get("error").get("pointer").asText()).isEqualTo("/Statement/1/Effect");
    assertThat(result.get("error").get("message").asText())
        .isEqualTo("Effect [Maybe] is not valid; expected \"Allow\" or \"Deny\"");
    assertThat(err.toString()).startsWith("error at /Statement/1/Effect:");
  }

  @Test
  void validateJson_missingFile_errorWithEmptyPointer() throws IOException {
    int code = run("", dir.resolve("nope.json").toString(), "--format", "json");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    JsonNode result = mapper.readTree(out.toString());
    assertThat(result.get("error").get("pointer").asText()).isEmpty();
    assertThat(result.get("error").get("message").asText()).endsWith("does not exist");
  }

  @Test
  void validateJson_numbersAndEscapesKeptCanonical() throws IOException {
    // given
    String policy =
        "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"\\u4e2d\", \"Effect\": \"Deny\","
            + " \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\", \"Condition\":"
            + " {\"NumericGreaterThan\": {\"aws:MultiFactorAuthAge\": 3.6e3}}}}";

    // when
    int code = run(policy, "-", "--format", "json");

    // then
    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .contains("\"Sid\":\"\\u4e2d\"")
        .contains("{\"aws:MultiFactorAuthAge\":3.6e3}");
  }

  @Test
  void validate_asSubcommandOfKmsPosture_readsThroughTheRootInput() {
    // given
    StringWriter rootOut = new StringWriter();
    CommandLine root =
        KmsPosture.commandLine(
            new PrintWriter(rootOut, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(CLEAN.getBytes(StandardCharsets.UTF_8)),
            name -> null);
    root.setOut(new PrintWriter(rootOut, true));

    // when
    int code = root.execute("validate", "-");

    // then
    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(rootOut.toString()).isEqualTo(CANONICAL);
  }
}
