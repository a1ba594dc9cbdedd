package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testing.ScaleSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
  private static final String ACCOUNT = ScaleSnapshots.ACCOUNT;

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /**
   * Writes a snapshot of {@code keys} varied keys (about 1.9 KB each; policies from templates) to
   * {@code file}: the generator the benchmarks use.
   */
  static void writeSnapshot(Path file, int keys) throws IOException {
    ScaleSnapshots.write(file, keys, false);
  }

  @Test
  void check_snapshotFarLargerThanTheHeap_isCheckedKeyByKey() throws Exception {
    // given: 40,000 keys (about 76 MB) and a JVM with a 32 MB heap; main read the whole text
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
    // given: keys 0, 1 and then 0 again
    Path snapshot = dir.resolve("twice.json");
    writeSnapshot(snapshot, 3);
    ObjectNode json = (ObjectNode) JSON.readTree(snapshot.toFile());
    ArrayNode keys = (ArrayNode) json.get("keys");
    keys.set(2, keys.get(0).deepCopy());
    Files.writeString(snapshot, JSON.writeValueAsString(json));

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
