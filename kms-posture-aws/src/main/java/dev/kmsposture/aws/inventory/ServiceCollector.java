package dev.kmsposture.aws.inventory;

import java.util.List;

/** Reads one service's resources in one Region into a {@link Reading}. */
interface ServiceCollector {
  /** The service. */
  InventoryService service();

  /**
   * Reads {@code region}. A failed listing is thrown (the Region is then not covered); a resource
   * whose encryption could not be read is recorded as {@code NOT_READ} and described in {@code
   * problems}.
   *
   * @throws software.amazon.awssdk.core.exception.SdkException when a listing fails
   */
  void read(String region, Reading reading, List<String> problems);
}
