package dev.kmsposture.aws.scan;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The caller's KMS clients, one per Region: the scanner asks for a Region's client and never
 * builds, configures or closes one itself.
 *
 * <pre>{@code
 * Map<Region, KmsClient> clients = new HashMap<>();
 * RegionalKmsClients regional =
 *     region -> clients.computeIfAbsent(region, r -> KmsClient.builder().region(r).build());
 * }</pre>
 */
@FunctionalInterface
public interface RegionalKmsClients {
  /**
   * Returns the client for {@code region}. Called once per Region a scan covers; the caller owns
   * (and closes) what it returns.
   *
   * @throws RuntimeException if no client can be had for the Region; the scan records it as that
   *     Region's collection error and completes the others
   */
  KmsClient client(Region region);

  /**
   * Returns the clients of {@code clients}, by Region.
   *
   * @throws IllegalArgumentException (from {@link #client}) for a Region the map lacks
   */
  static RegionalKmsClients of(Map<Region, KmsClient> clients) {
    Map<Region, KmsClient> copy = Map.copyOf(clients);
    return region -> {
      KmsClient client = copy.get(Objects.requireNonNull(region, "region"));
      if (client == null) {
        throw new IllegalArgumentException(
            String.format(
                "no KMS client was given for Region [%s]; the clients cover %s",
                region, copy.keySet().stream().map(Region::id).sorted().toList()));
      }
      return client;
    };
  }
}
