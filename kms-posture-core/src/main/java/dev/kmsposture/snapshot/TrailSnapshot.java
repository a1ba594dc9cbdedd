package dev.kmsposture.snapshot;

import static dev.kmsposture.internal.text.BuilderChecks.notBlank;
import static dev.kmsposture.internal.text.BuilderChecks.required;

import java.util.ArrayList;
import java.util.Collection;
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
   * Returns an empty builder; {@link Builder#name} and {@link Builder#homeRegion} are required. A
   * trail starts single-Region, not an organization trail, with unknown logging status and no
   * selectors.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this trail. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link TrailSnapshot}. Setters reject blank text at once; {@link #build()} fails,
   * naming the setter, when the name or home Region is missing. Not thread-safe; the trails it
   * builds are immutable.
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable String homeRegion;
    private boolean multiRegion;
    private boolean organization;
    private @Nullable Boolean logging;
    private final List<EventSelector> eventSelectors = new ArrayList<>();
    private final List<AdvancedEventSelector> advancedEventSelectors = new ArrayList<>();

    private Builder() {}

    private Builder(TrailSnapshot t) {
      this.name = t.name;
      this.homeRegion = t.homeRegion;
      this.multiRegion = t.multiRegion;
      this.organization = t.organization;
      this.logging = t.logging;
      this.eventSelectors.addAll(t.eventSelectors);
      this.advancedEventSelectors.addAll(t.advancedEventSelectors);
    }

    /**
     * Sets the trail's name or ARN.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    public Builder name(String name) {
      this.name = notBlank(name, "name", "trail name", "the trail's name or ARN");
      return this;
    }

    /**
     * Sets the trail's home Region, such as {@code us-east-1}.
     *
     * @throws IllegalArgumentException if the Region is blank
     */
    public Builder homeRegion(String homeRegion) {
      this.homeRegion =
          notBlank(homeRegion, "homeRegion", "trail home Region", "a Region such as us-east-1");
      return this;
    }

    /** Sets {@code IsMultiRegionTrail} (false by default). */
    public Builder multiRegion(boolean multiRegion) {
      this.multiRegion = multiRegion;
      return this;
    }

    /** Sets {@code IsOrganizationTrail} (false by default). */
    public Builder organization(boolean organization) {
      this.organization = organization;
      return this;
    }

    /** Sets {@code GetTrailStatus.IsLogging}; null (the default) when unknown. */
    public Builder logging(@Nullable Boolean logging) {
      this.logging = logging;
      return this;
    }

    /** Replaces the basic event selectors (none by default). */
    public Builder eventSelectors(Collection<EventSelector> selectors) {
      Objects.requireNonNull(selectors, "eventSelectors");
      eventSelectors.clear();
      selectors.forEach(this::addEventSelector);
      return this;
    }

    /** Appends one basic event selector. */
    public Builder addEventSelector(EventSelector selector) {
      eventSelectors.add(Objects.requireNonNull(selector, "eventSelector"));
      return this;
    }

    /** Replaces the advanced event selectors (none by default). */
    public Builder advancedEventSelectors(Collection<AdvancedEventSelector> selectors) {
      Objects.requireNonNull(selectors, "advancedEventSelectors");
      advancedEventSelectors.clear();
      selectors.forEach(this::addAdvancedEventSelector);
      return this;
    }

    /** Appends one advanced event selector. */
    public Builder addAdvancedEventSelector(AdvancedEventSelector selector) {
      advancedEventSelectors.add(Objects.requireNonNull(selector, "advancedEventSelector"));
      return this;
    }

    /**
     * Returns the trail.
     *
     * @throws IllegalStateException if the name or the home Region is not set
     */
    public TrailSnapshot build() {
      return new TrailSnapshot(
          required("trail", name, "name", "name(...)"),
          required("trail", homeRegion, "home Region", "homeRegion(...)"),
          multiRegion,
          organization,
          logging,
          eventSelectors,
          advancedEventSelectors);
    }
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

    /**
     * Returns an empty builder; {@link Builder#field} is required and every operator starts with no
     * values.
     */
    public static Builder builder() {
      return new Builder();
    }

    /** Returns a builder that starts from this field selector. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /**
     * Builds a {@link FieldSelector}. Each operator setter replaces that operator's values; {@link
     * #build()} fails, naming the setter, when the field is missing. Not thread-safe; the selectors
     * it builds are immutable.
     */
    public static final class Builder {
      private @Nullable String field;
      private List<String> equalsValues = List.of();
      private List<String> notEquals = List.of();
      private List<String> startsWith = List.of();
      private List<String> notStartsWith = List.of();
      private List<String> endsWith = List.of();
      private List<String> notEndsWith = List.of();

      private Builder() {}

      private Builder(FieldSelector f) {
        this.field = f.field;
        this.equalsValues = f.equalsValues;
        this.notEquals = f.notEquals;
        this.startsWith = f.startsWith;
        this.notStartsWith = f.notStartsWith;
        this.endsWith = f.endsWith;
        this.notEndsWith = f.notEndsWith;
      }

      /**
       * Sets the field the selector tests, such as {@code eventCategory}, {@code eventSource} or
       * {@code readOnly}.
       *
       * @throws IllegalArgumentException if the field is blank
       */
      public Builder field(String field) {
        this.field =
            notBlank(field, "field", "field selector field", "a field such as eventSource");
        return this;
      }

      /** Replaces the {@code Equals} values. */
      public Builder equalsValues(Collection<String> values) {
        this.equalsValues = List.copyOf(Objects.requireNonNull(values, "equalsValues"));
        return this;
      }

      /** Replaces the {@code NotEquals} values. */
      public Builder notEquals(Collection<String> values) {
        this.notEquals = List.copyOf(Objects.requireNonNull(values, "notEquals"));
        return this;
      }

      /** Replaces the {@code StartsWith} values. */
      public Builder startsWith(Collection<String> values) {
        this.startsWith = List.copyOf(Objects.requireNonNull(values, "startsWith"));
        return this;
      }

      /** Replaces the {@code NotStartsWith} values. */
      public Builder notStartsWith(Collection<String> values) {
        this.notStartsWith = List.copyOf(Objects.requireNonNull(values, "notStartsWith"));
        return this;
      }

      /** Replaces the {@code EndsWith} values. */
      public Builder endsWith(Collection<String> values) {
        this.endsWith = List.copyOf(Objects.requireNonNull(values, "endsWith"));
        return this;
      }

      /** Replaces the {@code NotEndsWith} values. */
      public Builder notEndsWith(Collection<String> values) {
        this.notEndsWith = List.copyOf(Objects.requireNonNull(values, "notEndsWith"));
        return this;
      }

      /**
       * Returns the field selector.
       *
       * @throws IllegalStateException if the field is not set
       */
      public FieldSelector build() {
        return new FieldSelector(
            required("field selector", field, "field", "field(...)"),
            equalsValues,
            notEquals,
            startsWith,
            notStartsWith,
            endsWith,
            notEndsWith);
      }
    }
  }
}
