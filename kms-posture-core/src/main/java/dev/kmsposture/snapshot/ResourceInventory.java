package dev.kmsposture.snapshot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which resources of the KMS-integrated services each key protects: the encryption inventory of an
 * account, kept at account level in the snapshot with the key each resource uses, so that both
 * questions are one look-up — {@link #resourcesUsing(String) a key's resources} and {@link
 * #resources(String) a resource's keys}.
 *
 * <p>CloudTrail shows who <em>called</em> a key; only the services' own configuration shows which
 * resources depend on it. The inventory shows <em>current settings only</em>: old S3 objects, old
 * log data and earlier secret versions keep the key they were written with, so a key with no known
 * resource may still be needed to read old data. Nothing here makes a key look safe to delete.
 *
 * <p>Immutable; resources are sorted by ARN and use, coverage by service and Region.
 */
@JsonPropertyOrder({"services", "coverage", "resources"})
public final class ResourceInventory {
  private final List<String> services;
  private final List<InventoryCoverage> coverage;
  private final List<ResourceSnapshot> resources;

  @JsonIgnore private final transient Map<String, List<ResourceSnapshot>> byKey;
  @JsonIgnore private final transient Map<String, List<ResourceSnapshot>> byArn;
  @JsonIgnore private final transient Map<String, InventoryCoverage> byScope;

  private ResourceInventory(
      List<String> services, List<InventoryCoverage> coverage, List<ResourceSnapshot> resources) {
    this.services = List.copyOf(new TreeSet<>(services));
    List<InventoryCoverage> c = new ArrayList<>(coverage);
    c.sort(
        Comparator.comparing(InventoryCoverage::service).thenComparing(InventoryCoverage::region));
    this.coverage = List.copyOf(c);
    List<ResourceSnapshot> r = new ArrayList<>(resources);
    r.sort(Comparator.comparing(ResourceSnapshot::arn).thenComparing(ResourceSnapshot::use));
    this.resources = List.copyOf(r);
    Map<String, List<ResourceSnapshot>> keys = new HashMap<>();
    Map<String, List<ResourceSnapshot>> arns = new HashMap<>();
    for (ResourceSnapshot resource : this.resources) {
      resource
          .keyArn()
          .ifPresent(k -> keys.computeIfAbsent(k, x -> new ArrayList<>()).add(resource));
      arns.computeIfAbsent(resource.arn(), x -> new ArrayList<>()).add(resource);
    }
    keys.replaceAll((k, v) -> List.copyOf(v));
    arns.replaceAll((k, v) -> List.copyOf(v));
    this.byKey = Map.copyOf(keys);
    this.byArn = Map.copyOf(arns);
    Map<String, InventoryCoverage> scopes = new HashMap<>();
    for (InventoryCoverage each : this.coverage) {
      InventoryCoverage before = scopes.put(each.service() + " " + each.region(), each);
      if (before != null) {
        throw new IllegalArgumentException(
            String.format(
                "coverage of service [%s] in Region [%s] is listed twice; list each once",
                each.service(), each.region()));
      }
    }
    this.byScope = Map.copyOf(scopes);
  }

  /**
   * Returns an inventory of {@code resources}, read for {@code services}, with {@code coverage}
   * saying what was read completely.
   *
   * @throws IllegalArgumentException if a (service, Region) is covered twice, or a resource is
   *     listed twice (same ARN and use)
   */
  @JsonCreator
  public static ResourceInventory of(
      @JsonProperty("services") @Nullable List<String> services,
      @JsonProperty("coverage") @Nullable List<InventoryCoverage> coverage,
      @JsonProperty("resources") @Nullable List<ResourceSnapshot> resources) {
    ResourceInventory inventory =
        new ResourceInventory(
            services == null ? List.of() : services,
            coverage == null ? List.of() : coverage,
            resources == null ? List.of() : resources);
    ResourceSnapshot previous = null;
    for (ResourceSnapshot r : inventory.resources) {
      if (previous != null && previous.arn().equals(r.arn()) && previous.use().equals(r.use())) {
        throw new IllegalArgumentException(
            String.format(
                "resource [%s] with use [%s] is listed twice; list each resource and use once",
                r.arn(), r.use()));
      }
      previous = r;
    }
    return inventory;
  }

  /** Returns an inventory of nothing: no service was read. */
  public static ResourceInventory empty() {
    return of(List.of(), List.of(), List.of());
  }

  /** Returns the services that were read ({@code s3}, {@code ebs}, …), sorted. */
  @JsonProperty("services")
  public List<String> services() {
    return services;
  }

  /** Returns what was read completely, per service and Region, sorted. */
  @JsonProperty("coverage")
  public List<InventoryCoverage> coverage() {
    return coverage;
  }

  /** Returns every resource, sorted by ARN and use. */
  @JsonProperty("resources")
  public List<ResourceSnapshot> resources() {
    return resources;
  }

  /** Returns the resources whose configuration names the key {@code keyArn} (after resolution). */
  public List<ResourceSnapshot> resourcesUsing(String keyArn) {
    return byKey.getOrDefault(Objects.requireNonNull(keyArn, "keyArn"), List.of());
  }

  /** Returns the entries of the resource {@code arn}: one per key it names (its {@code use}). */
  public List<ResourceSnapshot> resources(String arn) {
    return byArn.getOrDefault(Objects.requireNonNull(arn, "arn"), List.of());
  }

  /** Returns the coverage of {@code service} in {@code region}, if it was read there. */
  public Optional<InventoryCoverage> coverage(String service, String region) {
    return Optional.ofNullable(byScope.get(service + " " + region));
  }

  /**
   * Returns what keeps the inventory of {@code region} from being complete: each service that was
   * not read there, or was read with a problem. Empty when every service was read completely.
   */
  public List<String> gaps(String region) {
    List<String> gaps = new ArrayList<>();
    if (services.isEmpty()) {
      gaps.add("no service was read");
    }
    for (String service : services) {
      InventoryCoverage c = byScope.get(service + " " + region);
      if (c == null) {
        gaps.add(service + " was not read in " + region);
      } else if (!c.isComplete()) {
        gaps.add(service + ": " + c.problem());
      }
    }
    return List.copyOf(gaps);
  }

  /** Returns whether the inventory read no service at all. */
  public boolean isEmpty() {
    return services.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ResourceInventory other
        && services.equals(other.services)
        && coverage.equals(other.coverage)
        && resources.equals(other.resources);
  }

  @Override
  public int hashCode() {
    return Objects.hash(services, coverage, resources);
  }

  @Override
  public String toString() {
    return "ResourceInventory[services="
        + services
        + ", coverage="
        + coverage.size()
        + " scopes, resources="
        + resources.size()
        + "]";
  }
}
