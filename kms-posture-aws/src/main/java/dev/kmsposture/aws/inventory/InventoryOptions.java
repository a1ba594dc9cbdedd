package dev.kmsposture.aws.inventory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an inventory reads: which services, in which Regions, and how gently.
 *
 * @param services the services to read; every service by default
 * @param regions the Regions to read; empty means the snapshot's Regions
 * @param budgetFraction the share of each request quota the inventory may use, in (0, 1]
 * @param scanRetries how many times a request is retried after the SDK's own retries
 * @param retryPause the first pause before such a retry
 * @param timeout how long the inventory may take, or null for no limit
 */
public record InventoryOptions(
    Set<InventoryService> services,
    List<String> regions,
    double budgetFraction,
    int scanRetries,
    Duration retryPause,
    @Nullable Duration timeout) {

  /** Checks and copies the parts. */
  public InventoryOptions {
    services = services.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(services));
    regions = List.copyOf(regions);
    Objects.requireNonNull(retryPause, "retryPause");
    if (services.isEmpty()) {
      throw new IllegalArgumentException("services [] is empty; name at least one service to read");
    }
    if (!(budgetFraction > 0 && budgetFraction <= 1)) {
      throw new IllegalArgumentException(
          String.format(
              "budget fraction [%s] is not in (0, 1]; use 0.5 to spend half of each quota",
              budgetFraction));
    }
    if (scanRetries < 0) {
      throw new IllegalArgumentException(
          String.format(
              "scan retries [%d] is negative; use 0 to rely on the SDK's retries only",
              scanRetries));
    }
  }

  /** Every service, in the snapshot's Regions, half of each quota, 3 retries, no time limit. */
  public static InventoryOptions defaults() {
    return new InventoryOptions(
        EnumSet.allOf(InventoryService.class), List.of(), 0.5, 3, Duration.ofMillis(200), null);
  }

  /** Returns these options reading only {@code services}. */
  public InventoryOptions withServices(Collection<InventoryService> services) {
    return new InventoryOptions(
        Set.copyOf(services), regions, budgetFraction, scanRetries, retryPause, timeout);
  }

  /** Returns these options reading only {@code regions}. */
  public InventoryOptions withRegions(Collection<String> regions) {
    return new InventoryOptions(
        services, new ArrayList<>(regions), budgetFraction, scanRetries, retryPause, timeout);
  }

  /**
   * Returns these options with {@code scanRetries} retries after the SDK's, paused {@code pause}.
   */
  public InventoryOptions withRetries(int scanRetries, Duration pause) {
    return new InventoryOptions(services, regions, budgetFraction, scanRetries, pause, timeout);
  }

  /** Returns the time limit, if any. */
  public Optional<Duration> timeLimit() {
    return Optional.ofNullable(timeout);
  }
}
