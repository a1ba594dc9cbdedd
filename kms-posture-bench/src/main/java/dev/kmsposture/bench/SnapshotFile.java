package dev.kmsposture.bench;

import dev.kmsposture.testing.ScaleSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the snapshot {@link PostureEngineBenchmark} checks (the same keys, seed and policy choice:
 * {@link ScaleSnapshots}) to a JSON file, key by key, so that a whole {@code kms-posture check} of
 * 100,000 or 1,000,000 keys can be timed and its reports compared. The generator holds a thousand
 * keys at a time, never the whole snapshot.
 *
 * <pre>{@code
 * java -cp kms-posture-bench/target/benchmarks.jar dev.kmsposture.bench.SnapshotFile \
 *     100000 templates /tmp/snapshot-100k.json [inventory] [multi-region]
 * }</pre>
 *
 * <p>Without {@code inventory} the file has the shape {@code kms-posture scan} writes without
 * {@code --resources} (schema version 3, no inventory: a reader must hold the keys until the end of
 * the document, since an inventory might follow them); with it, an empty inventory comes before the
 * keys, as a scan with {@code --resources} writes it, and keys are handed over as they are read.
 * With {@code multi-region}, about 40% of the keys are multi-Region primaries instead of 4% ({@link
 * ScaleSnapshots#write(int, boolean, boolean, boolean, java.io.OutputStream)}).
 */
public final class SnapshotFile {
  private SnapshotFile() {}

  /**
   * Writes the file.
   *
   * @param args the number of keys, {@code templates} or {@code unique}, the output path, and
   *     optionally {@code inventory} and {@code multi-region}
   * @throws IOException if the file cannot be written
   */
  public static void main(String[] args) throws IOException {
    List<String> options = List.of(args).subList(Math.min(3, args.length), args.length);
    if (args.length < 3
        || !(args[1].equals("templates") || args[1].equals("unique"))
        || !List.of("inventory", "multi-region").containsAll(options)) {
      System.err.println(
          "usage: SnapshotFile KEYS templates|unique OUTPUT.json [inventory] [multi-region]");
      System.exit(2);
      return;
    }
    try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
      ScaleSnapshots.write(
          Integer.parseInt(args[0]),
          args[1].equals("unique"),
          options.contains("inventory"),
          options.contains("multi-region"),
          out);
    }
  }
}
