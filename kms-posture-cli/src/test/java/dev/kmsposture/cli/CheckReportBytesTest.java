package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code check} writes the JSON, SARIF and ASFF reports as bytes, to a file and to standard output:
 * the same bytes as the text it wrote before, encoded as UTF-8; text UTF-8 cannot encode (a lone
 * surrogate in an alias) is refused for a file and replaced with {@code ?} on standard output, as
 * before.
 */
class CheckReportBytesTest {
  private static final String[] FORMATS = {"json", "sarif", "asff", "markdown"};

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  // standard output as the command line makes it (bytes reachable), or a plain text writer
  private int run(PrintWriter out, String... args) {
    CommandLine cl = new CommandLine(new CheckCommand());
    cl.setOut(out);
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private Path snapshot(String aliasSuffix) throws IOException {
    Path file = dir.resolve("snapshot.json");
    String json = DemoReport.snapshot().toJson();
    assertThat(json).contains("\"alias/global-sessions\"");
    Files.writeString(
        file, json.replace("\"alias/global-sessions\"", "\"alias/global-" + aliasSuffix + "\""));
    return file;
  }

  private String text(Path snapshot, String format) {
    StringWriter text = new StringWriter();
    run(new PrintWriter(text, true), snapshot.toString(), "--format", format);
    return text.toString();
  }

  @Test
  void check_everyFormat_fileAndStandardOutputHoldTheTextAsUtf8() throws Exception {
    Path snapshot = snapshot("séssions✓\\ud83d\\ude00");
    for (String format : FORMATS) {
      // given: the text as a text writer receives it
      byte[] expected = text(snapshot, format).getBytes(StandardCharsets.UTF_8);

      // when
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      PrintWriter out = StandardOutput.writer(stdout);
      run(out, snapshot.toString(), "--format", format);
      out.flush();
      Path file = dir.resolve("report." + format);
      run(out, snapshot.toString(), "--format", format, "--output", file.toString());

      // then
      assertThat(stdout.toByteArray()).as(format).isEqualTo(expected);
      assertThat(Files.readAllBytes(file)).as(format).isEqualTo(expected);
    }
  }

  @Test
  void check_loneSurrogate_fileRefusedStandardOutputReplaced() throws Exception {
    Path snapshot = snapshot("\\ud800sessions");
    for (String format : FORMATS) {
      // given
      String text = text(snapshot, format);
      assertThat(text).contains("\ud800sessions");
      Path file = dir.resolve("report." + format);
      Files.writeString(file, "the old report");
      err.getBuffer().setLength(0);

      // when
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      PrintWriter out = StandardOutput.writer(stdout);
      run(out, snapshot.toString(), "--format", format);
      out.flush();
      int code = run(out, snapshot.toString(), "--format", format, "--output", file.toString());

      // then
      assertThat(stdout.toString(StandardCharsets.UTF_8))
          .as(format)
          .isEqualTo(text.replace('\ud800', '?'));
      assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(err.toString()).contains("cannot write [" + file + "]: Input length = 1");
      assertThat(Files.readString(file)).isEqualTo("the old report");
    }
  }
}
