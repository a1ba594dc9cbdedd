package dev.kmsposture.snapshot;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A CloudTrail trail and its event selectors: enough to tell whether KMS events are logged. A trail
 * has either basic {@link #eventSelectors()} or {@link #advancedEventSelectors()}, never both.
 *
 * @param name the trail name or ARN
 * @param homeRegion the trail's home Region
 * @param multiRegion {@code IsMultiRegionTrail}
 * @param organization {@code IsOrganizationTrail}
 * @param logging {@code GetTrailStatus.IsLogging}, or null when unknown
 * @param eventSelectors the basic selectors
 * @param advancedEventSelectors the advanced selectors
 */
public record TrailSnapshot(
    String name,
    String homeRegion,
    boolean multiRegion,
    boolean organization,
    @Nullable Boolean logging,
    List<EventSelector> eventSelectors,
    List<AdvancedEventSelector> advancedEventSelectors) {

  /** Copies the selectors. */
  public TrailSnapshot {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(homeRegion, "homeRegion");
    eventSelectors = eventSelectors == null ? List.of() : List.copyOf(eventSelectors);
    advancedEventSelectors =
        advancedEventSelectors == null ? List.of() : List.copyOf(advancedEventSelectors);
  }

  /**
   * A basic event selector.
   *
   * @param readWriteType {@code All}, {@code ReadOnly} or {@code WriteOnly}
   * @param includeManagementEvents whether management events are logged
   * @param excludeManagementEventSources sources dropped, e.g. {@code kms.amazonaws.com}
   */
  public record EventSelector(
      String readWriteType,
      boolean includeManagementEvents,
      List<String> excludeManagementEventSources) {
    /** Copies the list. */
    public EventSelector {
      Objects.requireNonNull(readWriteType, "readWriteType");
      excludeManagementEventSources =
          excludeManagementEventSources == null
              ? List.of()
              : List.copyOf(excludeManagementEventSources);
    }
  }

  /**
   * An advanced event selector: its field selectors are ANDed; selectors are ORed.
   *
   * @param name the selector name, or null
   * @param fieldSelectors the field selectors
   */
  public record AdvancedEventSelector(@Nullable String name, List<FieldSelector> fieldSelectors) {
    /** Copies the list. */
    public AdvancedEventSelector {
      fieldSelectors = List.copyOf(fieldSelectors);
    }
  }

  /**
   * One field selector of an advanced event selector.
   *
   * @param field e.g. {@code eventCategory}, {@code eventSource}, {@code readOnly}
   * @param equalsValues {@code Equals}
   * @param notEquals {@code NotEquals}
   * @param startsWith {@code StartsWith}
   * @param notStartsWith {@code NotStartsWith}
   * @param endsWith {@code EndsWith}
   * @param notEndsWith {@code NotEndsWith}
   */
  public record FieldSelector(
      String field,
      List<String> equalsValues,
      List<String> notEquals,
      List<String> startsWith,
      List<String> notStartsWith,
      List<String> endsWith,
      List<String> notEndsWith) {
    /** Copies the lists; null means empty. */
    public FieldSelector {
      Objects.requireNonNull(field, "field");
      equalsValues = equalsValues == null ? List.of() : List.copyOf(equalsValues);
      notEquals = notEquals == null ? List.of() : List.copyOf(notEquals);
      startsWith = startsWith == null ? List.of() : List.copyOf(startsWith);
      notStartsWith = notStartsWith == null ? List.of() : List.copyOf(notStartsWith);
      endsWith = endsWith == null ? List.of() : List.copyOf(endsWith);
      notEndsWith = notEndsWith == null ? List.of() : List.copyOf(notEndsWith);
    }
  }
}
