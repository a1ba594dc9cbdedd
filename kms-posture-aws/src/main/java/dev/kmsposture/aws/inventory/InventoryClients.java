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
 *     .efs("eu-west-1", FileSystemLister.efs(httpClient, credentials, Region.EU_WEST_1))
 *     .fsx("eu-west-1", FileSystemLister.fsx(httpClient, credentials, Region.EU_WEST_1))
 *     .build();
 * }</pre>
 *
 * <p>Immutable once built.
 */
public final class InventoryClients {
  private final Map<String, SdkClient> clients;
  private final Map<String, FileSystemLister> fileSystems;

  private InventoryClients(
      Map<String, SdkClient> clients, Map<String, FileSystemLister> fileSystems) {
    this.clients = Map.copyOf(clients);
    this.fileSystems = Map.copyOf(fileSystems);
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

  /**
   * Returns the file-system lister of {@code service} ({@link InventoryService#EFS} or {@link
   * InventoryService#FSX}) for {@code region}, if one was added.
   */
  public Optional<FileSystemLister> fileSystems(String region, InventoryService service) {
    return Optional.ofNullable(fileSystems.get(region + " " + service.id()));
  }

  /** Builds {@link InventoryClients}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, SdkClient> clients = new HashMap<>();
    private final Map<String, FileSystemLister> fileSystems = new HashMap<>();

    private Builder() {}

    /**
     * Adds the Amazon EFS file-system lister for {@code region}, such as {@link
     * FileSystemLister#efs(software.amazon.awssdk.http.SdkHttpClient,
     * software.amazon.awssdk.auth.credentials.AwsCredentialsProvider,
     * software.amazon.awssdk.regions.Region)}.
     *
     * @throws IllegalArgumentException if an EFS lister was already added for the Region
     */
    public Builder efs(String region, FileSystemLister lister) {
      return fileSystems(region, InventoryService.EFS, lister);
    }

    /**
     * Adds the Amazon FSx file-system lister for {@code region}, such as {@link
     * FileSystemLister#fsx(software.amazon.awssdk.http.SdkHttpClient,
     * software.amazon.awssdk.auth.credentials.AwsCredentialsProvider,
     * software.amazon.awssdk.regions.Region)}.
     *
     * @throws IllegalArgumentException if an FSx lister was already added for the Region
     */
    public Builder fsx(String region, FileSystemLister lister) {
      return fileSystems(region, InventoryService.FSX, lister);
    }

    private Builder fileSystems(String region, InventoryService service, FileSystemLister lister) {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(lister, "lister");
      if (fileSystems.putIfAbsent(region + " " + service.id(), lister) != null) {
        throw new IllegalArgumentException(
            String.format(
                "a %s lister for Region [%s] was already added; add one per service and Region",
                service.id(), region));
      }
      return this;
    }

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
      return new InventoryClients(clients, fileSystems);
    }
  }
}
