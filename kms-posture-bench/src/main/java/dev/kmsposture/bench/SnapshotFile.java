package dev.kmsposture.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the snapshot {@link PostureEngineBenchmark} checks (the same keys, seed and policy choice)
 * to a JSON file, key by key, so that a whole {@code kms-posture check} of 100,000 or 1,000,000
 * keys can be timed and its reports compared. The generator holds a thousand keys at a time, never
 * the whole snapshot.
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
  private static final int BATCH = 1000;

  private SnapshotFile() {}

  /**
   * Writes the file.
   *
   * @param args the number of keys, {@code templates} or {@code unique}, and the output path
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
    int keys = Integer.parseInt(args[0]);
    boolean unique = args[1].equals("unique");
    try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
      write(keys, unique, args.length == 4, out);
    }
  }

  /** Writes a snapshot of {@code keys} keys without an inventory to {@code out}, left open. */
  static void write(int keys, boolean unique, OutputStream out) throws IOException {
    write(keys, unique, false, out);
  }

  /**
   * Writes a snapshot of {@code keys} keys to {@code out}, left open; with {@code inventory}, an
   * empty inventory before the keys, as the snapshot writer puts it.
   */
  static void write(int keys, boolean unique, boolean inventory, OutputStream out)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Random random = new Random(7);
    try (JsonGenerator g =
        new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
      g.setCodec(mapper);
      g.useDefaultPrettyPrinter();
      // The header (account, regions, trails) as the benchmark's snapshot has it, keys apart.
      AccountSnapshot empty = PostureEngineBenchmark.snapshot(0, random, unique);
      JsonNode header =
          mapper.readTree(
              (inventory ? empty.withInventory(ResourceInventory.empty()) : empty).toJson());
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : header.properties()) {
        if (field.getKey().equals("keys")) {
          g.writeArrayFieldStart("keys");
          for (int from = 0; from < keys; from += BATCH) {
            for (JsonNode key : batch(mapper, from, Math.min(keys, from + BATCH), random, unique)) {
              g.writeTree(key);
            }
          }
          g.writeEndArray();
        } else {
          g.writeFieldName(field.getKey());
          g.writeTree(field.getValue());
        }
      }
      g.writeEndObject();
      g.writeRaw('\n');
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static JsonNode batch(
      ObjectMapper mapper, int from, int to, Random random, boolean unique) throws IOException {
    List<KeySnapshot> list = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      list.add(PostureEngineBenchmark.key(i, random, unique));
    }
    AccountSnapshot part =
        AccountSnapshot.of(PostureEngineBenchmark.ACCOUNT, PostureEngineBenchmark.NOW, list);
    return mapper.readTree(part.toJson()).get("keys");
  }
}
