package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's streamed inputs and outputs as {@link KmsPosture#main} wires them: evaluate
 * writes UTF-8 bytes under {@link StandardOutput}'s fail-fast stream (not through the writer),
 * reads its policies with the policy limit; check streams its snapshot through {@link
 * SnapshotInput}.
 */
class StreamedInputOutputTest {
  private static final String KEY =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String POLICY =
      "{\"Version\": \"2012-10-17\", \"Statement\": ["
          + "{\"Sid\": \"EnableRoot\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"},"
          + "{\"Sid\": \"Use\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/App\"}, \"Action\": \"kms:Decrypt\","
          + " \"Resource\": \"*\", \"Condition\": {\"StringEquals\":"
          + " {\"kms:EncryptionContext:tenant\": \"t-ü\"}}}]}";

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  private int run(PrintWriter out, InputStream stdin, String... args) {
    return KmsPosture.run(
        args, out, new PrintWriter(err, true), stdin, new HashMap<String, String>()::get);
  }

  private Path policy() throws IOException {
    Path p = dir.resolve("policy.json");
    Files.writeString(p, POLICY);
    return p;
  }

  // Requests of every kind: allowed, denied, non-ASCII values, bad lines, blank lines.
  private static String requests(int n) {
    Random random = new Random(7);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(5)) {
        case 0 -> sb.append("\n");
        case 1 -> sb.append("{\"principal\": \"not an arn ☃\", \"action\": \"kms:Decrypt\"}\n");
        default ->
            sb.append("{\"principal\": \"arn:aws:iam::111122223333:")
                .append(random.nextBoolean() ? "role/App" : "user/bob")
                .append("\", \"action\": \"kms:Decrypt\", \"context\":")
                .append(" {\"kms:EncryptionContext:tenant\": \"")
                .append(random.nextBoolean() ? "t-ü" : "t-" + i)
                .append("\"}}\n");
      }
    }
    return sb.toString();
  }

  @Test
  void evaluate_bytesUnderStandardOutput_areTheLinesTheWriterGets() throws IOException {
    // given: 20,000 mixed lines, several batches
    byte[] input = requests(20_000).getBytes(StandardCharsets.UTF_8);
    String[] args = {"evaluate", "--policy", policy().toString(), "--key-arn", KEY};
    StringWriter text = new StringWriter();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    // when: once through a plain writer (tests), once as main wires standard output
    int viaWriter = run(new PrintWriter(text, true), new ByteArrayInputStream(input), args);
    int viaBytes = run(StandardOutput.writer(bytes), new ByteArrayInputStream(input), args);

    // then
    assertThat(viaBytes).isEqualTo(viaWriter).isEqualTo(ExitCode.BAD_INPUT);
    String written = bytes.toString(StandardCharsets.UTF_8);
    assertThat(written).isEqualTo(text.toString());
    assertThat(written).contains("\"decision\":\"ALLOWED\"").contains("not an arn ☃");
    assertThat(written.lines().count()).isGreaterThan(15_000);
  }

  @Test
  void evaluate_bytesUnderAFailingStandardOutput_exitsInternalWithOneLine() throws IOException {
    OutputStream full =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
          }
        };
    byte[] input = requests(5_000).getBytes(StandardCharsets.UTF_8);

    int code =
        run(
            StandardOutput.writer(full),
            new ByteArrayInputStream(input),
            "evaluate",
            "--policy",
            policy().toString(),
            "--key-arn",
            KEY);

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(err.toString())
        .isEqualTo(
            "error: cannot write to standard output (No space left on device); the output is"
                + " incomplete\n");
  }

  @Test
  void evaluate_policyOverThePolicyLimit_isBadInputBeforeAnyRequest() throws IOException {
    // given: 2 MiB of whitespace around a valid policy: under the 16 MiB default, over 1 MiB
    Path big = dir.resolve("big.json");
    Files.writeString(big, " ".repeat(2 * 1024 * 1024) + POLICY);

    int code =
        run(
            new PrintWriter(new StringWriter(), true),
            new ByteArrayInputStream(new byte[0]),
            "evaluate",
            "--policy",
            big.toString(),
            "--key-arn",
            KEY);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .isEqualTo("error: input file [" + big + "] is larger than the limit of 1048576 bytes\n");
  }

  @Test
  void evaluate_identityPolicyOverThePolicyLimit_isBadInput() throws IOException {
    Path big = dir.resolve("identity.json");
    Files.writeString(big, " ".repeat(2 * 1024 * 1024) + "{}");

    int code =
        run(
            new PrintWriter(new StringWriter(), true),
            new ByteArrayInputStream(new byte[0]),
            "evaluate",
            "--policy",
            policy().toString(),
            "--identity-policy",
            "arn:aws:iam::111122223333:role/App=" + big,
            "--key-arn",
            KEY);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("is larger than the limit of 1048576 bytes");
  }

  @Test
  void check_keyPolicyOnStandardInput_isNamedAsAKeyPolicy() {
    StringWriter out = new StringWriter();

    int code =
        run(
            new PrintWriter(out, true),
            new ByteArrayInputStream(POLICY.getBytes(StandardCharsets.UTF_8)),
            "check",
            "-");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: snapshot [-]: this is a key policy, not a snapshot: use `kms-posture");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void check_nulByteDeepInAStreamedSnapshot_isNotTextWithItsOffset() {
    // given: 100,000 spaces (past the reader's first blocks), then a NUL
    byte[] input = new byte[100_001];
    java.util.Arrays.fill(input, (byte) ' ');
    input[100_000] = 0;
    StringWriter out = new StringWriter();

    int code = run(new PrintWriter(out, true), new ByteArrayInputStream(input), "check", "-");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .isEqualTo(
            "error: standard input is not text: byte 100000 is NUL; expected UTF-8 JSON or YAML"
                + " (a binary file, or a device such as /dev/zero?)\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void check_version3SnapshotWithItsKeysFirst_fromAFileReportsAsFromStandardInput()
      throws IOException {
    // given: the demo as schema version 3, its keys before its trails and without an inventory:
    // from a file the keys are read as they come (the members after them read ahead), from
    // standard input they wait for the document's end
    String demo =
        Files.readString(Path.of("../examples/src/main/resources/demo/snapshot.json"))
            .replaceFirst("\"schemaVersion\"\\s*:\\s*1", "\"schemaVersion\": 3");
    assertThat(demo).contains("\"schemaVersion\": 3");
    Path file = dir.resolve("v3.json");
    Files.writeString(file, demo);
    for (String format : List.of("json", "markdown", "sarif", "asff")) {
      StringWriter fromFile = new StringWriter();
      StringWriter fromStdin = new StringWriter();

      int fileCode =
          run(
              new PrintWriter(fromFile, true),
              InputStream.nullInputStream(),
              "check",
              file.toString(),
              "--format",
              format);
      int stdinCode =
          run(
              new PrintWriter(fromStdin, true),
              new ByteArrayInputStream(demo.getBytes(StandardCharsets.UTF_8)),
              "check",
              "-",
              "--format",
              format);

      assertThat(fileCode).isEqualTo(stdinCode).isEqualTo(ExitCode.FINDINGS);
      // the reports differ only in the source they name
      String named =
          fromFile
              .toString()
              .replace(" from `" + file + "`", "")
              .replace("\"source\" : \"" + file + "\"", "\"source\" : \"\"")
              .replace("\"source\": \"" + file + "\"", "\"source\": \"\"");
      if (format.equals("json") || format.equals("markdown")) {
        assertThat(named).isEqualTo(fromStdin.toString());
      } else {
        assertThat(named.length()).isPositive();
        assertThat(fromStdin.toString()).isNotEmpty();
      }
    }
  }

  @Test
  void check_version3SnapshotWithABrokenMemberAfterItsKeys_fromAFileSaysWhatStandardInputSays()
      throws IOException {
    String demo =
        Files.readString(Path.of("../examples/src/main/resources/demo/snapshot.json"))
            .replaceFirst("\"schemaVersion\"\\s*:\\s*1", "\"schemaVersion\": 3")
            .replaceFirst("\"durationMillis\"", "\"durationMillis\": \"soon\", \"x\"");
    Path file = dir.resolve("broken.json");
    Files.writeString(file, demo);

    int fileCode =
        run(
            new PrintWriter(new StringWriter(), true),
            InputStream.nullInputStream(),
            "check",
            file.toString());
    String fileErr = err.toString().replace(file.toString(), "-");
    err.getBuffer().setLength(0);
    int stdinCode =
        run(
            new PrintWriter(new StringWriter(), true),
            new ByteArrayInputStream(demo.getBytes(StandardCharsets.UTF_8)),
            "check",
            "-");

    assertThat(fileCode).isEqualTo(stdinCode).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(fileErr).isEqualTo(err.toString()).contains("durationMillis");
  }
}
