package dev.kmsposture.report;

import dev.kmsposture.snapshot.InventoryCoverage;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The Markdown section of a report that lists, per key, the resources it protects (the snapshot's
 * {@linkplain ResourceInventory inventory}), the references that could not be resolved to a key,
 * and the services and Regions whose resources are unknown because they could not be read.
 *
 * <p>The inventory shows current settings only: a key with no listed resource may still protect old
 * data (log events, S3 objects and secret versions keep the key they were written with), and a
 * service or Region that was not read completely may hold more. The section says so.
 */
public final class InventoryMarkdown {
  private InventoryMarkdown() {}

  /**
   * Returns the section for {@code inventory}, starting with a level-2 heading and ending with a
   * blank line; deterministic (sorted by key ARN, then resource ARN).
   */
  public static String section(ResourceInventory inventory) {
    Objects.requireNonNull(inventory, "inventory");
    StringBuilder md = new StringBuilder();
    md.append("## Resources per key\n\n");
    md.append("Services read: ")
        .append(
            inventory.services().isEmpty()
                ? "none"
                : "`" + String.join("`, `", inventory.services()) + "`")
        .append(". ")
        .append(count(inventory.resources().size(), "resource"))
        .append(" found. Current settings only: old data (log events, S3 objects, earlier secret")
        .append(" versions) keeps the key it was written with.\n\n");
    List<InventoryCoverage> gaps = new ArrayList<>();
    for (InventoryCoverage c : inventory.coverage()) {
      if (!c.isComplete()) {
        gaps.add(c);
      }
    }
    if (!gaps.isEmpty()) {
      md.append("### UNKNOWN: not read completely\n\n");
      md.append("The resources of these services and Regions are not (all) known; a key may")
          .append(" protect more than is listed below.\n\n");
      for (InventoryCoverage c : gaps) {
        md.append("- `")
            .append(c.service())
            .append("` in `")
            .append(c.region())
            .append("`: ")
            .append(text(Objects.requireNonNullElse(c.problem(), "")))
            .append('\n');
      }
      md.append('\n');
    }
    Map<String, List<ResourceSnapshot>> byKey = new TreeMap<>();
    List<ResourceSnapshot> unresolved = new ArrayList<>();
    List<ResourceSnapshot> noKey = new ArrayList<>();
    for (ResourceSnapshot r : inventory.resources()) {
      KeyReference key = r.key();
      if (key == null) {
        noKey.add(r);
      } else if (key.keyArn() == null) {
        unresolved.add(r);
      } else {
        byKey.computeIfAbsent(key.keyArn(), k -> new ArrayList<>()).add(r);
      }
    }
    byKey.forEach(
        (arn, list) -> {
          md.append("### `").append(arn).append("`\n\n");
          for (ResourceSnapshot r : list) {
            line(md, r);
          }
          md.append('\n');
        });
    if (!unresolved.isEmpty()) {
      md.append("### Key references that could not be resolved\n\n");
      md.append("Kept as written; this does not mean the data cannot be decrypted.\n\n");
      for (ResourceSnapshot r : unresolved) {
        line(md, r);
      }
      md.append('\n');
    }
    if (!noKey.isEmpty()) {
      md.append("### Resources that name no KMS key\n\n");
      for (ResourceSnapshot r : noKey) {
        line(md, r);
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static void line(StringBuilder md, ResourceSnapshot r) {
    md.append("- `")
        .append(r.arn())
        .append("` (")
        .append(r.service())
        .append(' ')
        .append(r.resourceType())
        .append(", ")
        .append(r.region());
    if (!r.use().equals(ResourceSnapshot.DATA)) {
      md.append(", ").append(r.use());
    }
    md.append("): ").append(text(r.encryption())).append(", ").append(r.protection().name());
    KeyReference key = r.key();
    if (key != null) {
      if (key.keyArn() == null || !key.written().equals(key.keyArn())) {
        md.append(", names `").append(text(key.written())).append('`');
      }
      if (key.note() != null) {
        md.append(" (").append(text(key.note())).append(')');
      }
    }
    md.append('\n');
  }

  // Table and list text: no line breaks, and Markdown's own characters escaped where they matter.
  private static String text(String s) {
    return s.replace('\n', ' ').replace('\r', ' ').replace("`", "'");
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
