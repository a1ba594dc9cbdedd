package dev.kmsposture.snapshot;

import dev.kmsposture.testing.ScaleSnapshots;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The look-ahead's scan over a snapshot's keys for the members after them ({@link
 * MembersAfterKeys}), which a check of a version 3 snapshot without an inventory before its keys
 * runs before it judges any key: {@code keys} keys as {@code kms-posture scan} writes them (the
 * realistic mix of {@link ScaleSnapshots}, about 1.9 KB each, most of it the key policy, a string
 * full of escaped quotes), in memory. One operation is one scan of the whole document; the scan's
 * speed in MB/s is the document's size (printed at set-up) over the time.
 *
 * <ul>
 *   <li>{@code blocks}: the scan as it is, 64 bytes at a time;
 *   <li>{@code byteAtATime}: the scan it replaced ({@link MembersAfterKeysReference}, core's test
 *       code), for comparison.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MembersAfterKeysBenchmark {
  /** The number of keys in the document. */
  @Param({"20000"})
  public int keys;

  /** Which scan: {@code blocks} or {@code byteAtATime}. */
  @Param({"blocks", "byteAtATime"})
  public String scan;

  private byte[] document = new byte[0];
  private long keysAt;

  /**
   * Writes the document with a fixed seed.
   *
   * @throws IOException never (written to memory)
   */
  @Setup
  public void setUp() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ScaleSnapshots.write(keys, false, false, false, out);
    document = out.toByteArray();
    keysAt = new String(document, 0, 4096, StandardCharsets.ISO_8859_1).indexOf("\"keys\" : [");
    keysAt += "\"keys\" : ".length();
    if (document[(int) keysAt] != '[' || scanOnce() == null) {
      throw new IllegalStateException("the generated document has no keys array to scan");
    }
    System.out.printf("%n%d keys, %.1f MB%n", keys, document.length / 1e6);
  }

  /**
   * Scans the document once.
   *
   * @return the members after the keys
   * @throws IOException never (read from memory)
   */
  @Benchmark
  public byte[] find() throws IOException {
    byte[] after = scanOnce();
    if (after == null) {
      throw new IllegalStateException("the keys array did not end");
    }
    return after;
  }

  private byte[] scanOnce() throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(document);
    return scan.equals("blocks")
        ? MembersAfterKeys.find(in, keysAt, SnapshotReader.DEFAULT_MAX_KEY_BYTES)
        : MembersAfterKeysReference.find(in, keysAt, SnapshotReader.DEFAULT_MAX_KEY_BYTES);
  }
}
