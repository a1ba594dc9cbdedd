package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  private static byte[] read(byte[] sent, long declared, int limit) {
    try {
      return RequestBodies.read(new ByteArrayInputStream(sent), declared, limit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void read_anyDeclaredLength_givesWhatWasSent_upToOneByteOverTheLimit() {
    // whatever length is declared (none, exact, short, long), the body read is the body sent, cut
    // at limit + 1 so that a body over the limit can be told
    qt().withExamples(2000)
        .forAll(
            integers().between(0, 3000), integers().between(-1, 3000), integers().between(0, 2000))
        .checkAssert(
            (sent, declared, limit) -> {
              byte[] body = bytes(sent);
              byte[] read = read(body, declared, limit);
              assertThat(read).isEqualTo(Arrays.copyOf(body, Math.min(sent, limit + 1)));
            });
  }

  @Test
  void read_noLimit_givesEverything() {
    byte[] body = bytes(20_000);
    assertThat(read(body, 10, Integer.MAX_VALUE)).isEqualTo(body);
    assertThat(read(body, -1, Integer.MAX_VALUE)).isEqualTo(body);
    assertThat(read(body, 20_000, Integer.MAX_VALUE)).isEqualTo(body);
    assertThat(read(body, 30_000, Integer.MAX_VALUE)).isEqualTo(body);
  }

  @Test
  void declaredLength_digitsOnly() {
    assertThat(RequestBodies.declaredLength("0")).isZero();
    assertThat(RequestBodies.declaredLength("348")).isEqualTo(348);
    assertThat(RequestBodies.declaredLength("")).isEqualTo(-1);
    assertThat(RequestBodies.declaredLength("-5")).isEqualTo(-1);
    assertThat(RequestBodies.declaredLength("12a")).isEqualTo(-1);
    assertThat(RequestBodies.declaredLength(" 12")).isEqualTo(-1);
    assertThat(RequestBodies.declaredLength("1234567890123456789")).isEqualTo(-1);
  }
}
