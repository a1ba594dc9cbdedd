package dev.kmsposture.bench;

import dev.kmsposture.testing.ScaleSnapshots;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the snapshot {@link PostureEngineBenchmark} checks (the same keys, seed and policy choice:
 * {@link ScaleSnapshots}) to a JSON file, key by key, so that a whole {@code kms-posture check} of
 * 100,000 or 1,000,000 keys can be timed and its reports compared. The generator holds a thousand
 * keys at a time, never the whole snapshot.
 *
 * <pre>{@code
 * java -cp kms-posture-bench/target/benchmarks.jar dev.kmsposture.bench.SnapshotFile \
 *     100000 templates /tmp/snapshot-100k.json [inventory]
 * }</pre>
 *
 * <p>Without {@code inventory} the file has the shape {@code kms-posture scan} writes without
 * {@code --resources} (schema version 3, no inventory: a reader must hold the keys until the end of
 * the document, since an inventory might follow them); with it, an empty inventory comes before the
 * keys, as a scan with {@code --resources} writes it, and keys are handed over as they are read.
 */
public final class SnapshotFile {
  private SnapshotFile() {}

  /**
   * Writes the file.
   *
   * @param args the number of keys, {@code templates} or {@code unique}, the output path, and
   *     optionally {@code inventory}
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 3
        || args.length > 4
        || !(args[1].equals("templates") || args[1].equals("unique"))
        || (args.length == 4 && !args[3].equals("inventory"))) {
      System.err.println("usage: SnapshotFile KEYS templates|unique OUTPUT.json [inventory]");
      System.exit(2);
      return;
    }
    ScaleSnapshots.write(
        Path.of(args[2]), Integer.parseInt(args[0]), args[1].equals("unique"), args.length == 4);
  }
}
