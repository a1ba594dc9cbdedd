package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code check} at scale: a snapshot is read and judged key by key, so a heap far smaller than the
 * snapshot suffices; the snapshot's checks reach the command line; and a long run shows progress on
 * a terminal, and nothing when piped.
 */
class CheckAtScaleTest {
  private static final String ACCOUNT = "111122223333";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Writes a snapshot of {@code keys} varied keys (about 2.4 KB each) to {@code file}. */
  static void writeSnapshot(Path file, int keys) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(
          "{\"schemaVersion\": 1, \"account\": \""
              + ACCOUNT
              + "\", \"partition\": \"aws\", \"regions\": [\"us-east-1\"], \"capturedAt\":"
              + " \"2026-11-28T09:00:00Z\", \"keys\": [");
      for (int i = 0; i < keys; i++) {
        w.write(i == 0 ? "\n" : ",\n");
        w.write(key(i));
      }
      w.write("], \"trails\": []}\n");
    }
  }

  private static String key(int i) {
    String id = String.format("%08x-0000-4000-8000-%012x", i, (long) i);
    String policy =
        "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Id\\\":\\\"key-policy-"
            + i
            + "\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"EnableRoot\\\",\\\"Effect\\\":\\\"Allow\\\","
            + "\\\"Principal\\\":{\\\"AWS\\\":\\\"arn:aws:iam::"
            + ACCOUNT
            + ":root\\\"},\\\"Action\\\":\\\"kms:*\\\",\\\"Resource\\\":\\\"*\\\"},{\\\"Sid\\\":"
            + "\\\"KeyUsers\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":"
            + "\\\"arn:aws:iam::"
            + ACCOUNT
            + ":role/app-"
            + i % 200
            + "\\\"},\\\"Action\\\":[\\\"kms:Encrypt\\\",\\\"kms:Decrypt\\\","
            + "\\\"kms:GenerateDataKey*\\\"],\\\"Resource\\\":\\\"*\\\"}"
            + (i % 7 == 0
                ? ",{\\\"Sid\\\":\\\"Everyone\\\",\\\"Effect\\\":\\\"Allow\\\",\\\"Principal\\\":"
                    + "\\\"*\\\",\\\"Action\\\":\\\"kms:Decrypt\\\",\\\"Resource\\\":\\\"*\\\"}"
                : "")
            + "]}";
    return "{\"arn\": \"arn:aws:kms:us-east-1:"
        + ACCOUNT
        + ":key/"
        + id
        + "\", \"keyId\": \""
        + id
        + "\", \"region\": \"us-east-1\", \"metadata\": {\"keyManager\": \"CUSTOMER\","
        + " \"keySpec\": \"SYMMETRIC_DEFAULT\", \"keyUsage\": \"ENCRYPT_DECRYPT\", \"origin\":"
        + " \"AWS_KMS\", \"keyState\": \""
        + (i % 11 == 0 ? "Disabled" : "Enabled")
        + "\", \"creationDate\": \"2024-01-01T00:00:00Z\", \"description\": \"service "
        + i
        + "\"}, \"aliases\": [\"alias/"
        + (i % 3 == 0 ? "prod" : "dev")
        + "-service-"
        + i
        + "\"], \"tags\": {\"Owner\": \"team-"
        + i % 9
        + "\"}, \"policy\": \""
        + policy
        + "\", \"rotation\": {\"enabled\": "
        + (i % 4 != 0)
        + "}, \"grants\": [], \"lastUsage\": {\"trackingStartDate\": \"2024-01-01T00:00:00Z\"},"
        + " \"keyEvents\": []}";
  }

  @Test
  void check_snapshotFarLargerThanTheHeap_isCheckedKeyByKey() throws Exception {
    // given: 40,000 keys (about 40 MB) and a JVM with a 32 MB heap; main read the whole text
    // into memory first and died of OutOfMemoryError
    Path snapshot = dir.resolve("snapshot.json");
    writeSnapshot(snapshot, 40_000);
    assertThat(Files.size(snapshot)).isGreaterThan(32L * 1024 * 1024);
    Path report = dir.resolve("report.sarif");

    // when
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx32m",
            "-Djava.io.tmpdir=" + dir,
            "-cp",
            System.getProperty("java.class.path"),
            KmsPosture.class.getName(),
            "check",
            snapshot.toString(),
            "--format",
            "sarif",
            "--output",
            report.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("process.log").toFile());
    Process p = pb.start();
    boolean exited = p.waitFor(10, TimeUnit.MINUTES);

    // then
    String log = Files.readString(dir.resolve("process.log"));
    assertThat(exited).as(log).isTrue();
    assertThat(p.exitValue()).as(log).isEqualTo(ExitCode.FINDINGS);
    assertThat(log).contains("40000 keys checked").doesNotContain("OutOfMemoryError");
    assertThat(Files.size(report)).isGreaterThan(1_000_000);
    assertThat(Files.readString(report)).endsWith("}\n");
  }

  @Test
  void check_markdownOfASnapshotFarLargerThanTheHeap_isStreamed() throws Exception {
    // given: 20,000 keys (about 600,000 findings) and a 32 MB heap; main built the Markdown
    // report of every finding in memory and died of OutOfMemoryError
    Path snapshot = dir.resolve("snapshot.json");
    writeSnapshot(snapshot, 20_000);
    Path report = dir.resolve("report.md");

    // when
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx32m",
            "-Djava.io.tmpdir=" + dir,
            "-cp",
            System.getProperty("java.class.path"),
            KmsPosture.class.getName(),
            "check",
            snapshot.toString(),
            "--output",
            report.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("process.log").toFile());
    Process p = pb.start();
    boolean exited = p.waitFor(10, TimeUnit.MINUTES);

    // then
    String log = Files.readString(dir.resolve("process.log"));
    assertThat(exited).as(log).isTrue();
    assertThat(p.exitValue()).as(log).isEqualTo(ExitCode.FINDINGS);
    assertThat(log).contains("20000 keys checked").doesNotContain("out of memory");
    String md = Files.readString(report);
    assertThat(md).startsWith("# KMS key posture of account " + ACCOUNT).endsWith("\n");
    assertThat(md.split("\n### ", -1)).hasSize(20_001);
    try (var left = Files.list(dir)) {
      assertThat(left.filter(f -> f.getFileName().toString().startsWith("kms-posture-")))
          .as("temporary files are deleted")
          .isEmpty();
    }
  }

  // ---- the snapshot's checks reach the command line ---------------------------------------------

  @Test
  void check_snapshotListingAKeyTwice_exitsTwoNamingThePointer() throws IOException {
    Path snapshot = dir.resolve("twice.json");
    Files.writeString(
        snapshot,
        "{\"schemaVersion\": 1, \"account\": \""
            + ACCOUNT
            + "\", \"partition\": \"aws\", \"capturedAt\": \"2026-11-28T09:00:00Z\", \"keys\": ["
            + key(1)
            + ", "
            + key(2)
            + ", "
            + key(1)
            + "]}");

    int code = run(true, snapshot.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .contains("error: snapshot [" + snapshot + "]: invalid snapshot at [/keys/2/arn]: key [")
        .contains("is listed twice, at /keys/0 and here");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void check_snapshotFromStandardInput_isReadKeyByKey() throws IOException {
    Path snapshot = dir.resolve("s.json");
    writeSnapshot(snapshot, 3);
    StringWriter rootOut = new StringWriter();
    StringWriter rootErr = new StringWriter();

    int code =
        KmsPosture.commandLine(
                new PrintWriter(rootOut, true),
                new PrintWriter(rootErr, true),
                new ByteArrayInputStream(Files.readAllBytes(snapshot)),
                name -> null)
            .execute("check", "-", "--format", "json");

    assertThat(code).as(rootErr.toString()).isEqualTo(ExitCode.FINDINGS);
    assertThat(rootOut.toString()).contains("\"keys\": 3");
  }

  // ---- progress ---------------------------------------------------------------------------------

  private int run(boolean terminal, String... args) {
    CommandLine cl = new CommandLine(new CheckCommand(CheckCommand::builtInRules, () -> terminal));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void check_onATerminal_showsAProgressLineAndErasesIt() throws IOException {
    Path snapshot = dir.resolve("s.json");
    writeSnapshot(snapshot, 50);

    run(true, snapshot.toString(), "--format", "json");

    String e = err.toString();
    assertThat(e).contains("\rkms-posture: 1 keys checked…");
    // Erased before the verdict, which starts on a clean line.
    int verdict = e.indexOf("50 keys checked:");
    assertThat(verdict).isPositive();
    assertThat(e.substring(0, verdict)).endsWith("\r");
  }

  @Test
  void check_piped_printsNoProgress() throws IOException {
    Path snapshot = dir.resolve("s.json");
    writeSnapshot(snapshot, 50);

    run(false, snapshot.toString(), "--format", "json");

    assertThat(err.toString()).doesNotContain("\r").doesNotContain("…");
    List<String> lines = new ArrayList<>(List.of(err.toString().split("\n")));
    assertThat(lines).hasSize(1).first().asString().startsWith("50 keys checked:");
  }

  @Test
  void progress_updates_atMostEveryInterval() {
    StringWriter sink = new StringWriter();
    long[] now = {0};
    Progress p = Progress.on(new PrintWriter(sink), true, () -> now[0]);

    p.update("keys checked", 1);
    now[0] += 100_000_000L; // 100 ms: too soon
    p.update("keys checked", 2);
    now[0] += 200_000_000L; // 300 ms after the first
    p.update("keys checked", 12_345);
    p.done();

    assertThat(sink.toString())
        .isEqualTo(
            "\rkms-posture: 1 keys checked…"
                + "\rkms-posture: 12,345 keys checked…"
                + "\r"
                + " ".repeat("kms-posture: 12,345 keys checked…".length())
                + "\r");
  }
}
