package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounded reader stops early: at a NUL byte, or one block past the limit of a stream. */
class InputReaderBoundsTest {

  /** A stream that never ends, counting what was read from it. */
  private static final class Endless extends InputStream {
    final AtomicLong read = new AtomicLong();
    private final byte fill;

    Endless(byte fill) {
      this.fill = fill;
    }

    @Override
    public int read() {
      read.incrementAndGet();
      return fill;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      Arrays.fill(b, off, off + len, fill);
      read.addAndGet(len);
      return len;
    }
  }

  @Test
  void read_endlessNulStream_stopsAtTheFirstBlock() {
    Endless zeros = new Endless((byte) 0);

    assertThatThrownBy(() -> InputReader.of(zeros, InputReader.SNAPSHOT_MAX_BYTES).read("-"))
        .isInstanceOf(BadInputException.class)
        .hasMessage(
            "standard input is not text: byte 0 is NUL; expected UTF-8 JSON or YAML (a binary"
                + " file, or a device such as /dev/zero?)");
    assertThat(zeros.read.get()).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void read_endlessTextStream_stopsJustPastTheLimit() {
    Endless spaces = new Endless((byte) ' ');

    assertThatThrownBy(() -> InputReader.of(spaces, 1024 * 1024).read("-"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("standard input is larger than the limit of 1048576 bytes");
    assertThat(spaces.read.get()).isEqualTo(1024 * 1024 + 1);
  }

  @Test
  void read_nulAfterTheFirstBlock_namesItsOffset() {
    byte[] text = new byte[70_000];
    Arrays.fill(text, (byte) ' ');
    text[69_999] = 0;

    assertThatThrownBy(() -> InputReader.of(new ByteArrayInputStream(text), 100_000).read("-"))
        .hasMessageStartingWith("standard input is not text: byte 69999 is NUL");
  }

  @Test
  void read_multiByteCharacterAcrossBlocks_isDecoded() {
    String text = " ".repeat(64 * 1024 - 1) + "\u00e9\uD83D\uDE00";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

    assertThat(InputReader.of(new ByteArrayInputStream(bytes), 1 << 20).read("-")).isEqualTo(text);
  }

  @Test
  void forKind_defaultReader_takesTheKindsLimit() {
    InputReader reader =
        InputReader.of(new ByteArrayInputStream(new byte[0]), InputReader.DEFAULT_MAX_BYTES);

    assertThat(reader.forKind(InputReader.POLICY_MAX_BYTES).maxBytes()).isEqualTo(1024 * 1024);
    assertThat(reader.forKind(InputReader.BASELINE_MAX_BYTES).maxBytes())
        .isEqualTo(256L * 1024 * 1024);
  }

  @Test
  void forKind_readerWithASmallerLimit_keepsIt() {
    InputReader reader = InputReader.of(new ByteArrayInputStream(new byte[0]), 1000);

    assertThat(reader.forKind(InputReader.BASELINE_MAX_BYTES).maxBytes()).isEqualTo(1000);
    assertThat(reader.forKind(100).maxBytes()).isEqualTo(100);
  }
}
