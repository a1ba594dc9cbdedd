package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SnapshotInput#firstNul} looks at eight bytes at a time; it must find the first NUL of any
 * range exactly as a byte-at-a-time loop does: none, one, several, next to bytes 0x01 and 0x80 (the
 * near misses of a word-wide test), at any offset and length.
 */
class SnapshotInputProperties {
  private static final byte[] BYTES = {0, 1, (byte) 0x80, (byte) 0x81, (byte) 0xff, 0x7f, 'a', '"'};

  @Test
  void firstNul_findsWhatAByteAtATimeLoopFinds() {
    qt().withExamples(5000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              byte[] b = new byte[r.nextInt(100)];
              int nuls = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(3);
              for (int i = 0; i < b.length; i++) {
                b[i] = BYTES[1 + r.nextInt(BYTES.length - 1)];
              }
              for (int k = 0; k < nuls && b.length > 0; k++) {
                b[r.nextInt(b.length)] = 0;
              }
              int from = r.nextInt(b.length + 1);
              int to = from + r.nextInt(b.length - from + 1);
              int expected = -1;
              for (int i = from; i < to; i++) {
                if (b[i] == 0) {
                  expected = i;
                  break;
                }
              }
              assertThat(SnapshotInput.firstNul(b, from, to)).isEqualTo(expected);
            });
  }
}
