package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputReaderTest {
  private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

  @TempDir Path dir;

  private static InputReader reader(String stdin, long maxBytes) {
    return InputReader.of(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), maxBytes);
  }

  @Test
  void read_existingFile_returnsItsText() throws IOException {
    // given
    Path file = Files.writeString(dir.resolve("policy.json"), POLICY);

    // when
    String text = reader("", 1024).read(file.toString());

    // then
    assertThat(text).isEqualTo(POLICY);
  }

  @Test
  void read_dash_readsStandardInput() {
    assertThat(reader(POLICY, 1024).read("-")).isEqualTo(POLICY);
  }

  @Test
  void read_missingFile_throwsNamingTheFile() {
    String missing = dir.resolve("absent.json").toString();

    assertThatThrownBy(() -> reader("", 1024).read(missing))
        .isInstanceOf(BadInputException.class)
        .hasMessage("input file [" + missing + "] does not exist");
  }

  @Test
  void read_directory_throwsNamingIt() {
    assertThatThrownBy(() -> reader("", 1024).read(dir.toString()))
        .isInstanceOf(BadInputException.class)
        .hasMessage("input file [" + dir + "] is a directory; expected a file");
  }

  @Test
  void read_fileOverLimit_throwsNamingFileAndLimit() throws IOException {
    // given
    Path file = Files.writeString(dir.resolve("big.json"), "x".repeat(11));

    // when / then
    assertThatThrownBy(() -> reader("", 10).read(file.toString()))
        .isInstanceOf(BadInputException.class)
        .hasMessage("input file [" + file + "] is larger than the limit of 10 bytes");
  }

  @Test
  void read_stdinOverLimit_throwsNamingStandardInput() {
    assertThatThrownBy(() -> reader("x".repeat(11), 10).read("-"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("standard input is larger than the limit of 10 bytes");
  }

  @Test
  void withMaxBytes_changesOnlyTheLimit() throws IOException {
    Path file = Files.writeString(dir.resolve("eleven.json"), "x".repeat(11));
    InputReader small = reader("stdin text", 10);

    assertThat(small.withMaxBytes(11).read(file.toString())).hasSize(11);
    assertThat(small.withMaxBytes(11).maxBytes()).isEqualTo(11);
    assertThat(small.withMaxBytes(11).read("-")).isEqualTo("stdin text");
    assertThatThrownBy(() -> small.read(file.toString())).isInstanceOf(BadInputException.class);
  }

  @Test
  void read_fileAtLimit_returnsItsText() throws IOException {
    Path file = Files.writeString(dir.resolve("exact.json"), "x".repeat(10));

    assertThat(reader("", 10).read(file.toString())).hasSize(10);
  }

  @Test
  void read_invalidUtf8_throwsNamingTheFile() throws IOException {
    // given
    Path file = Files.write(dir.resolve("latin1.json"), new byte[] {'{', (byte) 0xE9, '}'});

    // when / then
    assertThatThrownBy(() -> reader("", 1024).read(file.toString()))
        .isInstanceOf(BadInputException.class)
        .hasMessage(
            "input file ["
                + file
                + "] is not valid UTF-8 text: byte 1 is not part of a UTF-8 character");
  }

  @Test
  void read_unreadableFile_throwsNamingTheFile() throws IOException {
    // given
    Path file = Files.writeString(dir.resolve("secret.json"), POLICY);
    boolean madeUnreadable = file.toFile().setReadable(false, false);
    // root can read anything; then the file stays readable and this case cannot be shown
    assumeTrue(madeUnreadable && !Files.isReadable(file));

    // when / then
    assertThatThrownBy(() -> reader("", 1024).read(file.toString()))
        .isInstanceOf(BadInputException.class)
        .hasMessage("input file [" + file + "] is not readable: permission denied");
  }

  @Test
  void read_emptyName_throwsSayingWhatIsAccepted() {
    assertThatThrownBy(() -> reader("", 1024).read(""))
        .isInstanceOf(BadInputException.class)
        .hasMessage("input file name is empty; pass a file path, or - for standard input");
  }

  @Test
  void of_nonPositiveLimit_throwsWithRange() {
    assertThatThrownBy(() -> reader("", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes [0] is out of range; expected 1 to 2147483639");
  }
}
