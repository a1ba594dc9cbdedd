package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link MembersAfterKeys} counts 64 bytes at a time; it must answer exactly as the scan it
 * replaced ({@link MembersAfterKeysReference}, a byte at a time) on every input: JSON of nested
 * arrays and objects whose strings hold escaped quotes, runs of backslashes and brackets, split
 * across the 64-byte blocks and the read buffer; the same cut short anywhere, or never closing its
 * array; a backslash outside any string; and bytes at random from the few that matter and their
 * near misses.
 */
class MembersAfterKeysProperties {
  // The bytes the scan looks at, and bytes that differ from them in one bit.
  private static final byte[] ALPHABET = {
    '"',
    '\\',
    '[',
    ']',
    '{',
    '}',
    ',',
    ' ',
    '\n',
    'a',
    '|',
    '~',
    ';',
    '=',
    0x02,
    (byte) 0xa2,
    (byte) 0xdb,
    (byte) 0xdd,
    (byte) 0xfb,
    (byte) 0xfd,
    (byte) 0xdc,
    0x1b,
    0x3d,
    0x7c
  };

  @Test
  void answersAsTheByteAtATimeScanOnGeneratedJson() {
    qt().withExamples(3000).forAll(longs().all()).checkAssert(seed -> same(json(new Random(seed))));
  }

  @Test
  void answersAsTheByteAtATimeScanOnBytesAtRandom() {
    qt().withExamples(3000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              byte[] b = new byte[r.nextInt(600)];
              for (int i = 0; i < b.length; i++) {
                b[i] = ALPHABET[r.nextInt(ALPHABET.length)];
              }
              if (b.length > 0 && r.nextInt(4) > 0) {
                b[0] = '[';
              }
              same(new Case(b, r.nextInt(3) == 0 ? Math.min(b.length, r.nextInt(8)) : 0));
            });
  }

  // Past the 64 KiB read buffer: blocks that straddle a refill.
  @Test
  void answersAsTheByteAtATimeScanOnLongDocuments() {
    qt().withExamples(40)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              StringBuilder s = new StringBuilder("[");
              int target = 60_000 + r.nextInt(150_000);
              while (s.length() < target) {
                value(r, s, 4);
                s.append(r.nextBoolean() ? "," : " ,\n  ");
              }
              value(r, s, 2);
              s.append(']').append(tail(r));
              same(cut(r, s.toString().getBytes(StandardCharsets.UTF_8), 0));
            });
  }

  @Test
  void findsTheMembersAfterAnArrayWithEscapesAcrossBlocks() throws IOException {
    StringBuilder s = new StringBuilder("{\"keys\":[");
    for (int i = 0; i < 200; i++) {
      s.append("{\"p\":\"").append("\\".repeat(i % 7 * 2)).append("\\\"]}[{\",\"q\":[[]]},");
    }
    s.append("{}], \"trails\" : [ ] }");
    byte[] doc = s.toString().getBytes(StandardCharsets.UTF_8);
    byte[] after = MembersAfterKeys.find(new ByteArrayInputStream(doc), 8, 1 << 20);
    assertThat(new String(after == null ? new byte[0] : after, StandardCharsets.UTF_8))
        .isEqualTo("{  \"trails\" : [ ] }");
  }

  /** A document's bytes, and where its array starts. */
  private static final class Case {
    private final byte[] bytes;
    private final int keysAt;

    Case(byte[] bytes, int keysAt) {
      this.bytes = bytes;
      this.keysAt = keysAt;
    }

    byte[] bytes() {
      return bytes;
    }

    int keysAt() {
      return keysAt;
    }
  }

  // A document: a prefix, the array, what follows it; then perhaps cut short or spoiled.
  private static Case json(Random r) {
    StringBuilder s = new StringBuilder();
    int prefix = r.nextInt(4) == 0 ? r.nextInt(20) : 0;
    for (int i = 0; i < prefix; i++) {
      s.append((char) ALPHABET[r.nextInt(10)]);
    }
    s.append('[');
    int elements = r.nextInt(12);
    for (int i = 0; i < elements; i++) {
      if (i > 0) {
        s.append(',');
      }
      space(r, s);
      value(r, s, 4);
    }
    space(r, s);
    if (r.nextInt(10) > 0) {
      s.append(r.nextInt(8) == 0 ? '}' : ']');
    }
    s.append(tail(r));
    return cut(r, s.toString().getBytes(StandardCharsets.ISO_8859_1), prefix);
  }

  private static Case cut(Random r, byte[] b, int keysAt) {
    byte[] bytes = b;
    switch (r.nextInt(8)) {
      case 0 -> bytes = java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
      case 1 -> {
        // a byte changed anywhere: a stray backslash or quote outside a string, most often
        bytes = b.clone();
        if (bytes.length > 0) {
          bytes[r.nextInt(bytes.length)] = ALPHABET[r.nextInt(6)];
        }
      }
      default -> {}
    }
    return new Case(bytes, keysAt);
  }

  private static String tail(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> "}";
      case 1 -> "\n}\n";
      case 2 -> ", \"trails\" : [ ], \"inventory\" : { \"x\" : \"]\\\"\" }\n}";
      case 3 -> ",\"collectionErrors\":[]}";
      case 4 -> "";
      default -> " x ";
    };
  }

  private static void value(Random r, StringBuilder s, int depth) {
    int kind = depth == 0 ? 3 + r.nextInt(3) : r.nextInt(6);
    switch (kind) {
      case 0, 1 -> {
        s.append('[');
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            s.append(',');
          }
          space(r, s);
          value(r, s, depth - 1);
        }
        space(r, s);
        s.append(']');
      }
      case 2 -> {
        s.append('{');
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            s.append(',');
          }
          string(r, s);
          s.append(" : ");
          value(r, s, depth - 1);
        }
        s.append('}');
      }
      case 3, 4 -> string(r, s);
      default -> s.append(r.nextBoolean() ? "12.5" : "true");
    }
  }

  // A string with escaped quotes, runs of backslashes, brackets and other bytes.
  private static void string(Random r, StringBuilder s) {
    s.append('"');
    int n = r.nextInt(r.nextInt(10) == 0 ? 300 : 24);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(8)) {
        case 0 -> s.append("\\\"");
        case 1 -> s.append("\\".repeat(2 * (1 + r.nextInt(5))));
        case 2 -> s.append("[]{}".charAt(r.nextInt(4)));
        case 3 -> s.append("\\u005c");
        case 4 -> s.append((char) (0x80 + r.nextInt(0x80)));
        default -> s.append((char) ('a' + r.nextInt(26)));
      }
    }
    s.append('"');
  }

  private static void space(Random r, StringBuilder s) {
    if (r.nextBoolean()) {
      s.append(" ".repeat(r.nextInt(r.nextInt(6) == 0 ? 90 : 6)));
    }
  }

  private static void same(Case c) {
    try {
      long max = 1 << 20;
      byte[] expected = MembersAfterKeysReference.find(input(c), c.keysAt(), max);
      byte[] actual = MembersAfterKeys.find(input(c), c.keysAt(), max);
      assertThat(actual)
          .as("%s", new String(c.bytes(), StandardCharsets.ISO_8859_1))
          .isEqualTo(expected);
      // With a limit the members after may pass or not: they pass when they are no longer than
      // it. (The byte-at-a-time scan let through what it had read with the array's end, up to 64
      // KiB past the limit, depending on how the input's reads fell.)
      long small = c.bytes().length / 3;
      byte[] limited = expected != null && expected.length - 1 <= small ? expected : null;
      assertThat(MembersAfterKeys.find(input(c), c.keysAt(), small)).isEqualTo(limited);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // Reads of uneven sizes, as a file or a pipe may give them.
  private static InputStream input(Case c) {
    Random sizes = new Random(c.bytes().length);
    return new ByteArrayInputStream(c.bytes()) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1 + sizes.nextInt(20_000)));
      }
    };
  }
}
