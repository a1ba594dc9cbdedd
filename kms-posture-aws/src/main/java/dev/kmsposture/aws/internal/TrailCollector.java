package dev.kmsposture.aws.internal;

import dev.kmsposture.snapshot.CollectionError;
import dev.kmsposture.snapshot.TrailSnapshot;
import dev.kmsposture.snapshot.TrailSnapshot.AdvancedEventSelector;
import dev.kmsposture.snapshot.TrailSnapshot.EventSelector;
import dev.kmsposture.snapshot.TrailSnapshot.FieldSelector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.DescribeTrailsRequest;
import software.amazon.awssdk.services.cloudtrail.model.EventDataStore;
import software.amazon.awssdk.services.cloudtrail.model.GetEventDataStoreRequest;
import software.amazon.awssdk.services.cloudtrail.model.GetEventDataStoreResponse;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsRequest;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.GetTrailStatusRequest;
import software.amazon.awssdk.services.cloudtrail.model.ListEventDataStoresRequest;
import software.amazon.awssdk.services.cloudtrail.model.ListEventDataStoresResponse;
import software.amazon.awssdk.services.cloudtrail.model.Trail;

/**
 * Reads what CloudTrail records of KMS into the snapshot's trail model: per Region {@code
 * DescribeTrails} with shadow trails (multi-Region trails of other Regions and organization trails
 * appear in every Region they cover), then once per trail, by ARN, {@code GetTrailStatus} (is it
 * logging?) and {@code GetEventSelectors}; and CloudTrail Lake event data stores ({@code
 * ListEventDataStores}, {@code GetEventDataStore}), whose advanced selectors the same rule reads.
 *
 * <p>A trail's details are read in its home Region when that Region is scanned (otherwise in the
 * first Region that showed it). A failure is a collection error; the trail stays, with {@code
 * logging} unknown, so the rule never passes on what it could not read.
 */
public final class TrailCollector {
  /** The trails found, and what could not be read. */
  public record Result(@Nullable List<TrailSnapshot> trails, List<CollectionError> errors) {}

  private final ScanCalls calls;

  /** Creates a collector that makes its calls through {@code calls}. */
  public TrailCollector(ScanCalls calls) {
    this.calls = calls;
  }

  private record Seen(Trail trail, Region region) {}

  /**
   * Reads the trails and event data stores of {@code regions}.
   *
   * @return the trails (null when no Region could be read), and the errors
   */
  public Result collect(List<Region> regions, Function<Region, CloudTrailClient> clients) {
    List<CollectionError> errors = new ArrayList<>();
    Map<String, Seen> trails = new LinkedHashMap<>();
    Map<String, TrailSnapshot> stores = new LinkedHashMap<>();
    Map<Region, CloudTrailClient> byRegion = new LinkedHashMap<>();
    boolean anyRegion = false;
    for (Region region : regions) {
      CloudTrailClient client;
      try {
        client = clients.apply(region);
      } catch (RuntimeException e) {
        errors.add(new CollectionError(region.id(), "CloudTrailClient", Failures.reason(e)));
        continue;
      }
      byRegion.put(region, client);
      try {
        var described =
            calls.call(
                region.id(),
                "DescribeTrails",
                () ->
                    client.describeTrails(
                        DescribeTrailsRequest.builder()
                            .includeShadowTrails(true)
                            .overrideConfiguration(calls.override())
                            .build()));
        anyRegion = true;
        if (described.hasTrailList()) {
          for (Trail t : described.trailList()) {
            String key = t.trailARN() != null ? t.trailARN() : t.name();
            // TrailSnapshot refuses a blank name: a trail without one cannot be reported.
            if (key != null && !key.isBlank()) {
              Seen previous = trails.get(key);
              boolean home = region.id().equals(t.homeRegion());
              if (previous == null || home) {
                trails.put(key, new Seen(t, region));
              }
            }
          }
        }
      } catch (SdkException | IllegalStateException e) {
        errors.add(new CollectionError(region.id(), "DescribeTrails", Failures.reason(e)));
      }
      dataStores(region, client, stores, errors);
    }
    if (!anyRegion) {
      return new Result(null, errors);
    }
    List<TrailSnapshot> out = new ArrayList<>();
    for (Map.Entry<String, Seen> e : trails.entrySet()) {
      out.add(details(e.getKey(), e.getValue(), byRegion, errors));
    }
    out.addAll(stores.values());
    out.sort(
        java.util.Comparator.comparing(TrailSnapshot::homeRegion)
            .thenComparing(TrailSnapshot::name));
    return new Result(out, errors);
  }

  private TrailSnapshot details(
      String arn, Seen seen, Map<Region, CloudTrailClient> clients, List<CollectionError> errors) {
    Trail t = seen.trail();
    Region region = seen.region();
    // every trail was seen through its Region's client
    CloudTrailClient client = Objects.requireNonNull(clients.get(region), "client");
    String home =
        t.homeRegion() != null && !t.homeRegion().isBlank() ? t.homeRegion() : region.id();
    Boolean logging = null;
    try {
      logging =
          calls
              .call(
                  region.id(),
                  "GetTrailStatus",
                  () ->
                      client.getTrailStatus(
                          GetTrailStatusRequest.builder()
                              .name(arn)
                              .overrideConfiguration(calls.override())
                              .build()))
              .isLogging();
    } catch (SdkException | IllegalStateException e) {
      errors.add(
          new CollectionError(region.id(), "GetTrailStatus", arn + ": " + Failures.reason(e)));
    }
    List<EventSelector> basic = new ArrayList<>();
    List<AdvancedEventSelector> advanced = new ArrayList<>();
    try {
      GetEventSelectorsResponse selectors =
          calls.call(
              region.id(),
              "GetEventSelectors",
              () ->
                  client.getEventSelectors(
                      GetEventSelectorsRequest.builder()
                          .trailName(arn)
                          .overrideConfiguration(calls.override())
                          .build()));
      if (selectors.hasEventSelectors()) {
        for (var s : selectors.eventSelectors()) {
          basic.add(
              new EventSelector(
                  s.readWriteTypeAsString() == null ? "All" : s.readWriteTypeAsString(),
                  // EventSelector API reference: IncludeManagementEvents defaults to true.
                  s.includeManagementEvents() == null || s.includeManagementEvents(),
                  s.hasExcludeManagementEventSources()
                      ? s.excludeManagementEventSources()
                      : List.of()));
        }
      }
      if (selectors.hasAdvancedEventSelectors()) {
        advanced.addAll(advanced(selectors.advancedEventSelectors()));
      }
    } catch (SdkException | IllegalStateException e) {
      errors.add(
          new CollectionError(
              region.id(),
              "GetEventSelectors",
              arn + ": " + Failures.reason(e) + "; the trail's selectors are not known"));
    }
    return TrailSnapshot.builder()
        .name(arn)
        .homeRegion(home)
        .multiRegion(Boolean.TRUE.equals(t.isMultiRegionTrail()))
        .organization(Boolean.TRUE.equals(t.isOrganizationTrail()))
        .logging(logging)
        .eventSelectors(basic)
        .advancedEventSelectors(advanced)
        .build();
  }

  private void dataStores(
      Region region,
      CloudTrailClient client,
      Map<String, TrailSnapshot> stores,
      List<CollectionError> errors) {
    List<EventDataStore> listed = new ArrayList<>();
    try {
      calls.pages(
          region.id(),
          "ListEventDataStores",
          new ScanCalls.Pages<ListEventDataStoresResponse>() {
            @Override
            public Iterator<ListEventDataStoresResponse> from(@Nullable String marker) {
              return client
                  .listEventDataStoresPaginator(
                      ListEventDataStoresRequest.builder()
                          .nextToken(marker)
                          .overrideConfiguration(calls.override())
                          .build())
                  .iterator();
            }

            @Override
            public @Nullable String nextMarker(ListEventDataStoresResponse page) {
              return page.nextToken();
            }

            @Override
            public Boolean truncated(ListEventDataStoresResponse page) {
              return page.nextToken() != null;
            }
          },
          page -> {
            if (page.hasEventDataStores()) {
              listed.addAll(page.eventDataStores());
            }
          });
    } catch (SdkException | IllegalStateException e) {
      errors.add(new CollectionError(region.id(), "ListEventDataStores", Failures.reason(e)));
      return;
    }
    for (EventDataStore listedStore : listed) {
      String arn = listedStore.eventDataStoreArn();
      if (arn == null || arn.isBlank() || stores.containsKey(arn)) {
        continue;
      }
      try {
        GetEventDataStoreResponse s =
            calls.call(
                region.id(),
                "GetEventDataStore",
                () ->
                    client.getEventDataStore(
                        GetEventDataStoreRequest.builder()
                            .eventDataStore(arn)
                            .overrideConfiguration(calls.override())
                            .build()));
        String status = s.statusAsString();
        if ("PENDING_DELETION".equals(status)) {
          continue;
        }
        stores.put(
            arn,
            TrailSnapshot.builder()
                .name(arn)
                .homeRegion(region.id())
                .multiRegion(Boolean.TRUE.equals(s.multiRegionEnabled()))
                .organization(Boolean.TRUE.equals(s.organizationEnabled()))
                .logging(status == null ? null : status.equals("ENABLED"))
                .advancedEventSelectors(
                    s.hasAdvancedEventSelectors()
                        ? advanced(s.advancedEventSelectors())
                        : List.of())
                .build());
      } catch (SdkException | IllegalStateException e) {
        errors.add(
            new CollectionError(region.id(), "GetEventDataStore", arn + ": " + Failures.reason(e)));
      }
    }
  }

  private static List<AdvancedEventSelector> advanced(
      List<software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector> selectors) {
    List<AdvancedEventSelector> out = new ArrayList<>();
    for (var s : selectors) {
      List<FieldSelector> fields = new ArrayList<>();
      if (s.hasFieldSelectors()) {
        for (AdvancedFieldSelector f : s.fieldSelectors()) {
          if (f.field() == null || f.field().isBlank()) {
            continue;
          }
          fields.add(
              FieldSelector.builder()
                  .field(f.field())
                  .equalsValues(f.hasEqualsValue() ? f.equalsValue() : List.of())
                  .notEquals(f.hasNotEquals() ? f.notEquals() : List.of())
                  .startsWith(f.hasStartsWith() ? f.startsWith() : List.of())
                  .notStartsWith(f.hasNotStartsWith() ? f.notStartsWith() : List.of())
                  .endsWith(f.hasEndsWith() ? f.endsWith() : List.of())
                  .notEndsWith(f.hasNotEndsWith() ? f.notEndsWith() : List.of())
                  .build());
        }
      }
      out.add(new AdvancedEventSelector(Optional.ofNullable(s.name()).orElse(null), fields));
    }
    return out;
  }
}
