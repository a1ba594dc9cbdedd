package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluateCommandTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/App";
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String POLICY =
      "{\"Version\": \"2012-10-17\", \"Statement\": ["
          + "{\"Sid\": \"EnableRoot\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},"
          + "{\"Sid\": \"AllowUse\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \""
          + ROLE
          + "\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\":"
          + " {\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}}]}";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();

  private int run(String stdin, String... args) {
    CommandLine cl =
        new CommandLine(
            new EvaluateCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  private String policyFile() throws IOException {
    Path p = dir.resolve("policy.json");
    Files.writeString(p, POLICY);
    return p.toString();
  }

  private List<String> lines() {
    List<String> result = new ArrayList<>();
    for (String l : out.toString().split("\n", -1)) {
      if (!l.isEmpty()) {
        result.add(l);
      }
    }
    return result;
  }

  @Test
  void evaluate_allowedRequest_writesDecisionLineAndExitsZero() throws IOException {
    String request =
        "{\"principal\": \""
            + ROLE
            + "\", \"action\": \"kms:Decrypt\", \"resource\": \""
            + KEY
            + "\", \"context\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}\n";

    int code = run(request, "--policy", policyFile());

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(lines()).hasSize(1);
    assertThat(lines().get(0))
        .startsWith(
            "{\"line\":1,\"decision\":\"ALLOWED\",\"delegatedToIam\":false,\"statements\":[{\"source\":\"key"
                + " policy\",\"index\":1,\"sid\":\"AllowUse\",\"pointer\":\"/Statement/1\"}],"
                + "\"explanation\":\"ALLOWED by key policy statement #1 [AllowUse]");
  }

  @Test
  void evaluate_deniedAndDelegated_keepsOrderAndExitsOne() throws IOException {
    String requests =
        "{\"principal\": \""
            + ROLE
            + "\", \"action\": \"kms:Decrypt\", \"context\": {\"kms:ViaService\":"
            + " [\"s3.us-east-1.amazonaws.com\"]}}\n"
            + "\n"
            + "{\"principal\": \"arn:aws:iam::111122223333:user/bob\", \"action\":"
            + " \"kms:Encrypt\"}\n";

    int code = run(requests, "--policy", policyFile(), "--key-arn", KEY);

    assertThat(code).isEqualTo(ExitCode.FINDINGS);
    assertThat(lines()).hasSize(2);
    assertThat(lines().get(0)).contains("\"decision\":\"ALLOWED\"");
    assertThat(lines().get(1))
        .contains("\"decision\":\"IMPLICITLY_DENIED\",\"delegatedToIam\":true")
        .contains("the caller's IAM policies would decide");
  }

  @Test
  void evaluate_identityPolicyAndAccount_allowsDelegatedRequest() throws IOException {
    Path identity = dir.resolve("bob.json");
    Files.writeString(
        identity,
        "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\":"
            + " \"kms:Encrypt\", \"Resource\": \"*\"}}");
    String request =
        "{\"principal\": \"arn:aws:iam::111122223333:user/bob\", \"action\": \"kms:Encrypt\"}\n";

    int code =
        run(
            request,
            "--policy",
            policyFile(),
            "--account",
            "111122223333",
            "--identity-policy",
            "arn:aws:iam::111122223333:user/bob=" + identity);

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(lines().get(0))
        .contains("\"delegatedToIam\":true")
        .contains("identity policy bob.json statement #0");
  }

  @Test
  void evaluate_malformedLine_printsErrorContinuesAndExitsTwo() throws IOException {
    String requests =
        "{\"principal\": \"arn:aws:iam::111122223333:group/x\", \"action\": \"kms:Decrypt\"}\n"
            + "not json\n"
            + "{\"principal\": \""
            + ROLE
            + "\", \"action\": \"kms:Decrypt\", \"colour\": 1}\n"
            + "{\"principal\": \""
            + ROLE
            + "\", \"action\": \"kms:Decrypt\", \"context\": {\"kms:ViaService\":"
            + " \"s3.us-east-1.amazonaws.com\"}}\n";
    Path file = dir.resolve("requests.jsonl");
    Files.writeString(file, requests);

    int code = run("", "--policy", policyFile(), "--key-arn", KEY, "--requests", file.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    List<String> lines = lines();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .startsWith("{\"line\":1,\"error\":\"line 1: principal [")
        .contains("not a caller");
    assertThat(lines.get(1)).startsWith("{\"line\":2,\"error\":\"line 2: not a JSON object");
    assertThat(lines.get(2)).startsWith("{\"line\":3,\"error\":\"line 3: unknown field [colour]");
    assertThat(lines.get(3)).contains("\"decision\":\"ALLOWED\"");
  }

  @Test
  void evaluate_noKeyAnywhere_namesTheFlagsNotJavaMethods() throws IOException {
    int code =
        run(
            "{\"principal\": \"" + ROLE + "\", \"action\": \"kms:Decrypt\"}\n",
            "--policy",
            policyFile());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lines().get(0))
        .startsWith("{\"line\":1,\"error\":\"line 1: the request names no key")
        .contains("--key-arn")
        .contains("resource")
        .doesNotContain("Builder")
        .doesNotContain("KeyAccessEvaluator");
  }
}
