package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.KeyPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.SequenceInputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code evaluate} as a stream: line numbers on every output line, errors that do not echo long
 * input, over-long lines skipped without losing the rest, order kept while lines are evaluated in
 * parallel, output flushed when input pauses, and the input options.
 */
// Preemptive: a hang in the pipeline fails the test with its stack instead of stalling the build.
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EvaluateStreamTest {
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
  private static final String ALLOWED =
      "{\"principal\": \""
          + ROLE
          + "\", \"action\": \"kms:Decrypt\", \"context\": {\"kms:ViaService\":"
          + " \"s3.us-east-1.amazonaws.com\"}}";
  private static final String DENIED =
      "{\"principal\": \"arn:aws:iam::444455556666:role/Other\", \"action\": \"kms:Decrypt\"}";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  // Through the root command, as a user runs it: its error handling decides the exit code.
  private int run(InputStream stdin, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "evaluate";
    System.arraycopy(args, 0, all, 1, args.length);
    return KmsPosture.commandLine(
            new PrintWriter(out, true), new PrintWriter(err, true), stdin, name -> null)
        .execute(all);
  }

  private int run(String stdin, String... args) {
    return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
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

  // ---- line numbers ----------------------------------------------------------------------------

  @Test
  void evaluate_everyOutputLine_carriesItsInputLineNumber() throws IOException {
    String input = ALLOWED + "\n\n" + "garbage\n" + "   \n" + DENIED + "\r\n" + ALLOWED;

    int code = run(input, "--policy", policyFile(), "--key-arn", KEY);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lines()).hasSize(4);
    assertThat(lines().get(0)).startsWith("{\"line\":1,\"decision\":\"ALLOWED\"");
    assertThat(lines().get(1)).startsWith("{\"line\":3,\"error\":\"line 3: not a JSON object");
    assertThat(lines().get(2)).startsWith("{\"line\":5,\"decision\":\"IMPLICITLY_DENIED\"");
    assertThat(lines().get(3)).startsWith("{\"line\":6,\"decision\":\"ALLOWED\"");
  }

  @Test
  void evaluate_objectSpreadOverTwoLines_isTwoBadLinesAndTheNextIsRead() throws IOException {
    // Each line is one request: an object left open is not finished by the next line.
    String input =
        "{\"principal\": \""
            + ROLE
            + "\", \"action\": \"kms:Decrypt\", \"context\": {\n"
            + "\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}\n"
            + ALLOWED
            + " "
            + ALLOWED
            + "\n"
            + ALLOWED
            + "\n";

    int code = run(input, "--policy", policyFile(), "--key-arn", KEY);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lines()).hasSize(4);
    assertThat(lines().get(0)).startsWith("{\"line\":1,\"error\":\"line 1: not a JSON object");
    assertThat(lines().get(1)).startsWith("{\"line\":2,\"error\":\"line 2: not a JSON object");
    assertThat(lines().get(2))
        .isEqualTo("{\"line\":3,\"error\":\"line 3: text after the JSON object\"}");
    assertThat(lines().get(3)).startsWith("{\"line\":4,\"decision\":\"ALLOWED\"");
  }

  // ---- over-long lines -------------------------------------------------------------------------

  @Test
  void evaluate_20MegabyteLineInTheMiddle_isOneErrorLineAndTheStreamGoesOn() throws IOException {
    // given: a decision, a 20 MB line, and a decision after it
    byte[] head = (ALLOWED + "\n" + DENIED + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] huge = new byte[20 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    byte[] huge2 = "{\"principal\": \"".getBytes(StandardCharsets.UTF_8);
    System.arraycopy(huge2, 0, huge, 0, huge2.length);
    byte[] tail = ("\n" + ALLOWED + "\n").getBytes(StandardCharsets.UTF_8);
    InputStream in =
        new SequenceInputStream(
            Collections.enumeration(
                List.of(
                    new ByteArrayInputStream(head),
                    new ByteArrayInputStream(huge),
                    new ByteArrayInputStream(tail))));

    // when
    int code = run(in, "--policy", policyFile(), "--key-arn", KEY);

    // then
    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    List<String> lines = lines();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("{\"line\":1,\"decision\":\"ALLOWED\"");
    assertThat(lines.get(1)).startsWith("{\"line\":2,\"decision\":\"IMPLICITLY_DENIED\"");
    assertThat(lines.get(2))
        .isEqualTo(
            "{\"line\":3,\"error\":\"line 3: longer than 1048576 bytes; the line was skipped"
                + " unread\"}");
    assertThat(lines.get(3)).startsWith("{\"line\":4,\"decision\":\"ALLOWED\"");
  }

  @Test
  void evaluate_overLongLastLineWithoutNewline_isOneErrorLine() throws IOException {
    String huge = "x".repeat(RequestStream.MAX_LINE_BYTES + 10);

    int code = run(ALLOWED + "\n" + huge, "--policy", policyFile(), "--key-arn", KEY);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(lines()).hasSize(2);
    assertThat(lines().get(1)).startsWith("{\"line\":2,\"error\":\"line 2: longer than");
  }

  @Test
  void evaluate_lineOfExactlyTheLimit_isRead() throws IOException {
    // A line at the limit is read (and here rejected for what it says, not for its length).
    String line = "{\"principal\": \"" + ROLE + "\", \"action\": \"kms:Decrypt\", \"x\": \"";
    line = line + "y".repeat(RequestStream.MAX_LINE_BYTES - line.length() - 2) + "\"}";

    run(line + "\n", "--policy", policyFile(), "--key-arn", KEY);

    assertThat(lines()).hasSize(1);
    assertThat(lines().get(0)).startsWith("{\"line\":1,\"error\":\"line 1: unknown field [x]");
  }

  // ---- what an error line echoes ---------------------------------------------------------------

  @Test
  void evaluate_errorLines_neverEchoMoreThan200CharactersOfInput() throws IOException {
    String x = "x".repeat(50_000);
    List<String> bad =
        List.of(
            "{\"principal\": \"arn:aws:iam::111122223333:group/"
                + x
                + "\", \"action\": \"kms:Decrypt\"}",
            "{\"principal\": \"" + x + "\", \"action\": \"kms:Decrypt\"}",
            "{\"" + x + "\": 1}",
            x,
            "{\"principal\": " + x + "}",
            "{\"principal\": \""
                + ROLE
                + "\", \"action\": \"kms:Decrypt\", \"context\": {\""
                + x
                + "\": {}}}",
            "{\"principal\": \""
                + ROLE
                + "\", \"action\": \"kms:Decrypt\", \"rolePath\": \""
                + x
                + "\"}",
            "[\"" + x + "\"]",
            "{\"principal\": \"" + ROLE + "\", \"action\": \"kms:Decrypt\"} '" + x + "'");

    int code = run(String.join("\n", bad) + "\n", "--policy", policyFile(), "--key-arn", KEY);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    List<String> lines = lines();
    assertThat(lines).hasSize(bad.size());
    Pattern run = Pattern.compile("x{201,}");
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      assertThat(line).as("output line %d", i + 1).contains("\"error\":\"line " + (i + 1) + ": ");
      Matcher m = run.matcher(line);
      assertThat(m.find())
          .as("output line %d echoes a long run of input: %s", i + 1, line)
          .isFalse();
      assertThat(line.length()).as("output line %d: %s", i + 1, line).isLessThan(600);
    }
  }

  // ---- order and parallelism -------------------------------------------------------------------

  @Test
  void evaluate_manyLines_keepsInputOrderAndMatchesTheEvaluator() throws IOException {
    // given: 30,000 requests of several shapes, some bad, with a sequential reference
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder().keyPolicy(KeyPolicy.parse(POLICY)).keyArn(KEY).build();
    List<String> principals =
        List.of(
            ROLE,
            "arn:aws:sts::111122223333:assumed-role/App/s1",
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:iam::444455556666:role/Other");
    List<String> actions = List.of("kms:Decrypt", "kms:Encrypt", "kms:PutKeyPolicy");
    StringBuilder in = new StringBuilder();
    List<String> expected = new ArrayList<>();
    int n = 30_000;
    for (int i = 1; i <= n; i++) {
      if (i % 997 == 0) {
        in.append("{not json ").append(i).append('\n');
        expected.add("error");
        continue;
      }
      String principal = principals.get(i % principals.size());
      String action = actions.get((i / 4) % actions.size());
      String via = i % 3 == 0 ? "ebs.us-east-1.amazonaws.com" : "s3.us-east-1.amazonaws.com";
      in.append("{\"principal\": \"")
          .append(principal)
          .append("\", \"action\": \"")
          .append(action)
          .append("\", \"context\": {\"kms:ViaService\": \"")
          .append(via)
          .append("\"}}\n");
      Decision d =
          evaluator.evaluate(
              AccessRequest.builder()
                  .principal(principal)
                  .action(action)
                  .putContext("kms:ViaService", via)
                  .build());
      expected.add(d.outcome().name() + "|" + d.explanation());
    }

    // when
    int code = run(in.toString(), "--policy", policyFile(), "--key-arn", KEY);

    // then
    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    List<String> lines = lines();
    assertThat(lines).hasSize(n);
    Pattern shape =
        Pattern.compile(
            "\\{\"line\":(\\d+),(?:\"error\".*|\"decision\":\"(\\w+)\".*\"explanation\":\"(.*)\"\\})");
    for (int i = 0; i < n; i++) {
      Matcher m = shape.matcher(lines.get(i));
      assertThat(m.matches()).as(lines.get(i)).isTrue();
      assertThat(Long.parseLong(m.group(1))).isEqualTo(i + 1L);
      String got = m.group(2) == null ? "error" : m.group(2) + "|" + m.group(3);
      assertThat(got).as("line %d", i + 1).isEqualTo(expected.get(i));
    }
  }

  // ---- interactive use -------------------------------------------------------------------------

  @Test
  void evaluate_inputPauses_eachDecisionIsFlushedBeforeTheNextLineArrives() throws Exception {
    // given: a co-process writing one line at a time, waiting for each answer
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
    FlushRecorder recorder = new FlushRecorder();
    CommandLine cl = new CommandLine(new EvaluateCommand(stdin));
    cl.setOut(new PrintWriter(recorder));
    cl.setErr(new PrintWriter(err, true));
    String policy = policyFile();
    ExecutorService runner = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> code = runner.submit(() -> cl.execute("--policy", policy, "--key-arn", KEY));

      // when / then: each answer arrives, flushed, while the input is still open
      for (int i = 1; i <= 3; i++) {
        feed.write(((i % 2 == 1 ? ALLOWED : DENIED) + "\n").getBytes(StandardCharsets.UTF_8));
        feed.flush();
        String flushed = recorder.flushed.poll(30, TimeUnit.SECONDS);
        assertThat(flushed).as("answer %d was not flushed while input paused", i).isNotNull();
        assertThat(flushed).startsWith("{\"line\":" + i + ",\"decision\":");
      }
      feed.close();
      assertThat(code.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCode.FINDINGS);
    } finally {
      runner.shutdownNow();
    }
  }

  /** Records, at each flush, the text written since the previous flush. */
  private static final class FlushRecorder extends Writer {
    final LinkedBlockingQueue<String> flushed = new LinkedBlockingQueue<>();
    private final StringBuilder pending = new StringBuilder();

    @Override
    public synchronized void write(char[] cbuf, int off, int len) {
      pending.append(cbuf, off, len);
    }

    @Override
    public synchronized void flush() {
      if (pending.length() > 0) {
        flushed.add(pending.toString());
        pending.setLength(0);
      }
    }

    @Override
    public void close() {}
  }

  // ---- input options ---------------------------------------------------------------------------

  @Test
  void evaluate_policyFromStandardInput_readsItAsDocumented() throws IOException {
    Path requests = dir.resolve("requests.jsonl");
    Files.writeString(requests, ALLOWED + "\n");

    int code = run(POLICY, "--policy", "-", "--key-arn", KEY, "--requests", requests.toString());

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(lines()).hasSize(1);
    assertThat(lines().get(0)).startsWith("{\"line\":1,\"decision\":\"ALLOWED\"");
  }

  @Test
  void evaluate_policyAndRequestsBothFromStandardInput_isBadInput() {
    int code = run(POLICY, "--policy", "-", "--key-arn", KEY);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--requests FILE");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void evaluate_requestsIsADirectory_isBadInput() throws IOException {
    int code = run("", "--policy", policyFile(), "--key-arn", KEY, "--requests", dir.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("requests file [" + dir + "] is a directory; expected a file of request lines");
  }

  @Test
  void evaluate_requestsDirectoryThroughTheRootCommand_exitsTwoNotThree() throws IOException {
    StringWriter rootOut = new StringWriter();
    StringWriter rootErr = new StringWriter();
    int code =
        KmsPosture.commandLine(
                new PrintWriter(rootOut, true),
                new PrintWriter(rootErr, true),
                new ByteArrayInputStream(new byte[0]),
                name -> null)
            .execute(
                "evaluate",
                "--policy",
                policyFile(),
                "--key-arn",
                KEY,
                "--requests",
                dir.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(rootErr.toString()).startsWith("error: requests file [").doesNotContain("internal");
  }

  @Test
  void evaluate_unreadableRequestStream_isBadInput() throws IOException {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("device went away");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("device went away");
          }
        };

    int code = run(failing, "--policy", policyFile(), "--key-arn", KEY);

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("the requests are not readable: device went away");
  }

  @Test
  void evaluate_outputFails_stopsWithAnInternalErrorNotSilence() throws IOException {
    // A closed pipe: PrintWriter swallows the error, the command must not.
    Writer broken =
        new Writer() {
          @Override
          public void write(char[] cbuf, int off, int len) throws IOException {
            throw new IOException("Broken pipe");
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Path requests = dir.resolve("requests.jsonl");
    Files.writeString(requests, ALLOWED + "\n");
    StringWriter rootErr = new StringWriter();

    int code =
        KmsPosture.commandLine(
                new PrintWriter(broken),
                new PrintWriter(rootErr, true),
                new ByteArrayInputStream(new byte[0]),
                name -> null)
            .execute(
                "evaluate",
                "--policy",
                policyFile(),
                "--key-arn",
                KEY,
                "--requests",
                requests.toString());

    assertThat(code).isEqualTo(ExitCode.INTERNAL);
    assertThat(rootErr.toString()).contains("cannot write the decisions");
  }
}
