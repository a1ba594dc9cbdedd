package dev.kmsposture.snapshot;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether one service's resources in one Region were read completely: the inventory's answer to "is
 * a key with no known resource really unused by this service here?" — it never is certain, since
 * the inventory shows current settings only, but a Region read with problems cannot even say "no
 * known resource".
 *
 * @param service the service ({@code s3}, {@code ebs}, …)
 * @param region the Region
 * @param problem what could not be read (a denied listing, resources whose encryption could not be
 *     read), or null when everything was read
 */
public record InventoryCoverage(String service, String region, @Nullable String problem) {
  /** Checks the parts. */
  public InventoryCoverage {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(region, "region");
  }

  /** Returns coverage of {@code service} in {@code region} read completely. */
  public static InventoryCoverage complete(String service, String region) {
    return new InventoryCoverage(service, region, null);
  }

  /** Returns whether everything was read. */
  public boolean isComplete() {
    return problem == null;
  }
}
