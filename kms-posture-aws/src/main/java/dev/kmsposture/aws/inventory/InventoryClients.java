package dev.kmsposture.aws.inventory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkClient;

/**
 * The service clients the inventory reads through, one per service and Region, built (and closed)
 * by the caller: endpoint, credentials, retries and HTTP client are the caller's choice. The
 * inventory only reads.
 *
 * <pre>{@code
 * InventoryClients clients = InventoryClients.builder()
 *     .add("eu-west-1", S3Client.builder().region(Region.EU_WEST_1).build())
 *     .add("eu-west-1", SqsClient.builder().region(Region.EU_WEST_1).build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable once built.
 */
public final class InventoryClients {
  private final Map<String, SdkClient> clients;

  private InventoryClients(Map<String, SdkClient> clients) {
    this.clients = Map.copyOf(clients);
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the client of type {@code type} for {@code region}, if one was added. */
  public <T extends SdkClient> Optional<T> client(String region, Class<T> type) {
    for (Map.Entry<String, SdkClient> e : clients.entrySet()) {
      if (e.getKey().startsWith(region + " ") && type.isInstance(e.getValue())) {
        return Optional.of(type.cast(e.getValue()));
      }
    }
    return Optional.empty();
  }

  /** Builds {@link InventoryClients}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, SdkClient> clients = new HashMap<>();

    private Builder() {}

    /**
     * Adds {@code client} for {@code region}.
     *
     * @throws IllegalArgumentException if a client of the same service was already added for the
     *     Region
     */
    public Builder add(String region, SdkClient client) {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(client, "client");
      String key = region + " " + client.serviceName();
      if (clients.putIfAbsent(key, client) != null) {
        throw new IllegalArgumentException(
            String.format(
                "a %s client for Region [%s] was already added; add one per service and Region",
                client.serviceName(), region));
      }
      return this;
    }

    /** Builds the clients. */
    public InventoryClients build() {
      return new InventoryClients(clients);
    }
  }
}
