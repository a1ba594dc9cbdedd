package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code check} never loses data: it refuses to write over its inputs, writes through a temporary
 * file, refuses suppressions of rules that do not exist, and exits 0 after writing a baseline.
 */
class CheckOutputSafetyTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new CheckCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path demo() throws IOException {
    Path file = dir.resolve("snapshot.json");
    Files.writeString(file, DemoReport.snapshot().toJson());
    return file;
  }

  @Test
  void check_outputIsTheSnapshot_refusedAndTheSnapshotKept() throws Exception {
    // given: on main, --output snapshot.json overwrote the snapshot with the report
    Path snapshot = demo();
    String before = Files.readString(snapshot);

    // when
    int code = run(snapshot.toString(), "--format", "json", "--output", snapshot.toString());

    // then
    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .isEqualTo(
            "error: --output ["
                + snapshot
                + "] is the input file ["
                + snapshot
                + "]; writing it would destroy the input: choose another file\n");
    assertThat(Files.readString(snapshot)).isEqualTo(before);
  }

  @Test
  void check_outputIsTheSnapshotThroughALinkAndDots_refused() throws Exception {
    Path snapshot = demo();
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), snapshot);
    Path sub = Files.createDirectories(dir.resolve("sub"));
    String before = Files.readString(snapshot);

    int viaLink = run(snapshot.toString(), "--output", link.toString());
    int viaDots = run(link.toString(), "--output", sub.resolve("../snapshot.json").toString());

    assertThat(viaLink).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(viaDots).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(Files.readString(snapshot)).isEqualTo(before);
  }

  @Test
  void check_writeBaselineIsTheConfigOrTheBaseline_refused() throws Exception {
    Path snapshot = demo();
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "unusedDays: 60\n");
    Path baseline = dir.resolve("baseline.json");
    assertThat(run(snapshot.toString(), "--write-baseline", baseline.toString()))
        .isEqualTo(ExitCode.OK);
    String baselineBefore = Files.readString(baseline);

    int overConfig =
        run(
            snapshot.toString(),
            "--config",
            config.toString(),
            "--write-baseline",
            config.toString());
    int overBaseline =
        run(
            snapshot.toString(),
            "--baseline",
            baseline.toString(),
            "--write-baseline",
            baseline.toString());

    assertThat(overConfig).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(overBaseline).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(Files.readString(config)).isEqualTo("unusedDays: 60\n");
    assertThat(Files.readString(baseline)).isEqualTo(baselineBefore);
    assertThat(err.toString()).contains("--write-baseline [" + config + "] is the input file");
  }

  @Test
  void check_outputAndWriteBaselineTheSameFile_refused() throws Exception {
    Path report = dir.resolve("same.json");

    int code =
        run(
            demo().toString(),
            "--output",
            report.toString(),
            "--write-baseline",
            report.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("is the same file as --output");
    assertThat(report).doesNotExist();
  }

  @Test
  void check_writeBaseline_exitsZeroWhenItWroteTheBaseline() throws Exception {
    // given: on main this exited 1 because the demo has critical failures
    Path baseline = dir.resolve("b/baseline.json");

    int code = run(demo().toString(), "--write-baseline", baseline.toString());

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(Files.readString(baseline)).contains("\"fingerprints\"");
    assertThat(err.toString()).contains("wrote a baseline of ");
  }

  @Test
  void check_reportWritten_leavesNoTemporaryFile() throws Exception {
    Path report = dir.resolve("out/report.sarif");

    run(demo().toString(), "--format", "sarif", "--output", report.toString());

    try (Stream<Path> files = Files.list(report.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.sarif");
    }
  }

  @Test
  void write_failingHalfWay_keepsTheOldFileAndLeavesNoTemporaryFile() throws Exception {
    Path file = dir.resolve("report.json");
    Files.writeString(file, "the old report");

    assertThatThrownBy(
            () ->
                OutputFiles.write(
                    file,
                    w -> {
                      w.write("half of a new repo");
                      throw new IOException("disk full");
                    }))
        .isInstanceOf(BadInputException.class)
        .hasMessage("cannot write [" + file + "]: disk full");

    assertThat(Files.readString(file)).isEqualTo("the old report");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.json");
    }
  }

  @Test
  void check_suppressionOfARuleThatDoesNotExist_refusedListingTheKnownIds() throws Exception {
    // given: on main the misspelled id was accepted and suppressed nothing
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        """
        suppressions:
          - ruleId: KeyPolicyPublic
            keyPattern: alias/a
            reason: reviewed
          - ruleId: RotationDisabld
            keyPattern: '*'
            reason: legacy
        """);

    int code = run(demo().toString(), "--config", config.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith(
            "error: configuration ["
                + config
                + "] at /suppressions/1/ruleId: rule [RotationDisabld] does not exist, so the"
                + " suppression would suppress nothing; known rule ids (or * for every rule): [")
        .contains("RotationDisabled, ")
        .contains("KeyPolicyPublic, ");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void check_suppressionOfEveryRule_accepted() throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config, "suppressions:\n  - ruleId: '*'\n    keyPattern: alias/legacy-*\n    reason: r\n");

    int code = run(demo().toString(), "--config", config.toString());

    assertThat(code).isNotEqualTo(ExitCode.BAD_INPUT);
  }
}
