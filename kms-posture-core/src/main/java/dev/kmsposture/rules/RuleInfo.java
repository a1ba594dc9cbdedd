package dev.kmsposture.rules;

import static dev.kmsposture.internal.text.BuilderChecks.notBlank;
import static dev.kmsposture.internal.text.BuilderChecks.required;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a rule is: its id, a one-line summary, its severity, why it matters, the checklist item it
 * enforces, equivalent checks in other tools, and how to fix what it finds.
 *
 * @param id the stable id
 * @param summary one line, no trailing period
 * @param severity the severity of a failure
 * @param rationale why it matters
 * @param checklistItem the KMS security checklist item this rule enforces (quoted or named)
 * @param references equivalent checks elsewhere, e.g. {@code Security Hub KMS.4}, {@code CIS 3.6},
 *     {@code AWS Config cmk-backing-key-rotation-enabled}, {@code Prowler kms_cmk_rotation_enabled}
 * @param remediation how to fix a failure
 * @param tags a small fixed vocabulary: least-privilege, lockout, cross-account, hygiene, rotation,
 *     logging, lifecycle, availability
 * @param aliases former ids of this rule, so old suppressions and baselines keep working
 */
public record RuleInfo(
    RuleId id,
    String summary,
    Severity severity,
    String rationale,
    String checklistItem,
    List<String> references,
    Remediation remediation,
    List<String> tags,
    List<RuleId> aliases) {

  /** Copies the lists and checks the summary. */
  public RuleInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(rationale, "rationale");
    Objects.requireNonNull(checklistItem, "checklistItem");
    Objects.requireNonNull(remediation, "remediation");
    references = List.copyOf(references);
    tags = List.copyOf(tags);
    aliases = List.copyOf(aliases);
    checkSummary(summary);
  }

  private static String checkSummary(String summary) {
    if (summary.isBlank() || summary.endsWith(".")) {
      throw new IllegalArgumentException(
          String.format(
              "rule summary [%s] must be one non-empty line without a trailing period", summary));
    }
    return summary;
  }

  /** Returns the path of the rule's documentation page, {@code docs/rules/<Id>.md}. */
  public String documentation() {
    return id.documentation();
  }

  /**
   * Returns an empty builder. The id, summary, severity, rationale, checklist item and remediation
   * are required; references, tags and aliases start empty.
   *
   * <pre>{@code
   * RuleInfo info = RuleInfo.builder()
   *     .id(RuleId.of("CostCenterTagMissing"))
   *     .summary("Customer-managed keys carry a CostCenter tag")
   *     .severity(Severity.OPTIONAL)
   *     .rationale("Finance charges each key's monthly cost to the tagged cost center.")
   *     .checklistItem("Internal tagging standard, section 4")
   *     .remediation(new Remediation(description, cliCommand, sdkCall))
   *     .addTag("hygiene")
   *     .build();
   * }</pre>
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this rule description. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link RuleInfo}. Setters reject a summary that is blank or ends with a period, and
   * blank text, at once; {@link #build()} fails, naming the setter, when a required part is
   * missing. Not thread-safe; the descriptions it builds are immutable.
   */
  public static final class Builder {
    private @Nullable RuleId id;
    private @Nullable String summary;
    private @Nullable Severity severity;
    private @Nullable String rationale;
    private @Nullable String checklistItem;
    private final List<String> references = new ArrayList<>();
    private @Nullable Remediation remediation;
    private final List<String> tags = new ArrayList<>();
    private final List<RuleId> aliases = new ArrayList<>();

    private Builder() {}

    private Builder(RuleInfo info) {
      this.id = info.id;
      this.summary = info.summary;
      this.severity = info.severity;
      this.rationale = info.rationale;
      this.checklistItem = info.checklistItem;
      this.references.addAll(info.references);
      this.remediation = info.remediation;
      this.tags.addAll(info.tags);
      this.aliases.addAll(info.aliases);
    }

    /** Sets the rule's stable id, which suppressions and baselines name. */
    public Builder id(RuleId id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * Sets the one-line summary.
     *
     * @throws IllegalArgumentException if the summary is blank or ends with a period
     */
    public Builder summary(String summary) {
      this.summary = checkSummary(Objects.requireNonNull(summary, "summary"));
      return this;
    }

    /** Sets the severity of a failure. */
    public Builder severity(Severity severity) {
      this.severity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /**
     * Sets why the rule matters.
     *
     * @throws IllegalArgumentException if the text is blank
     */
    public Builder rationale(String rationale) {
      this.rationale = notBlank(rationale, "rationale", "rule rationale", "why the rule matters");
      return this;
    }

    /**
     * Sets the KMS security checklist item (or other standard) the rule enforces, quoted or named.
     *
     * @throws IllegalArgumentException if the text is blank
     */
    public Builder checklistItem(String checklistItem) {
      this.checklistItem =
          notBlank(
              checklistItem,
              "checklistItem",
              "rule checklist item",
              "the checklist item the rule enforces");
      return this;
    }

    /**
     * Replaces the equivalent checks in other tools, such as {@code Security Hub KMS.4} (none by
     * default).
     *
     * @throws IllegalArgumentException if a reference is blank
     */
    public Builder references(Collection<String> references) {
      Objects.requireNonNull(references, "references");
      this.references.clear();
      references.forEach(this::addReference);
      return this;
    }

    /**
     * Appends one equivalent check in another tool, such as {@code CIS 3.6}.
     *
     * @throws IllegalArgumentException if the reference is blank
     */
    public Builder addReference(String reference) {
      references.add(notBlank(reference, "reference", "rule reference", "a check such as CIS 3.6"));
      return this;
    }

    /** Sets how to fix a failure. */
    public Builder remediation(Remediation remediation) {
      this.remediation = Objects.requireNonNull(remediation, "remediation");
      return this;
    }

    /**
     * Replaces the tags, such as {@code rotation} or {@code least-privilege} (none by default).
     *
     * @throws IllegalArgumentException if a tag is blank
     */
    public Builder tags(Collection<String> tags) {
      Objects.requireNonNull(tags, "tags");
      this.tags.clear();
      tags.forEach(this::addTag);
      return this;
    }

    /**
     * Appends one tag, such as {@code rotation}.
     *
     * @throws IllegalArgumentException if the tag is blank
     */
    public Builder addTag(String tag) {
      tags.add(notBlank(tag, "tag", "rule tag", "a tag such as rotation or lifecycle"));
      return this;
    }

    /** Replaces the former ids of the rule (none by default). */
    public Builder aliases(Collection<RuleId> aliases) {
      Objects.requireNonNull(aliases, "aliases");
      this.aliases.clear();
      aliases.forEach(this::addAlias);
      return this;
    }

    /** Appends one former id of the rule, so old suppressions and baselines keep working. */
    public Builder addAlias(RuleId alias) {
      aliases.add(Objects.requireNonNull(alias, "alias"));
      return this;
    }

    /**
     * Returns the rule description.
     *
     * @throws IllegalStateException if the id, summary, severity, rationale, checklist item or
     *     remediation is not set
     */
    public RuleInfo build() {
      return new RuleInfo(
          required(subject(), id, "id", "id(...)"),
          required(subject(), summary, "summary", "summary(...)"),
          required(subject(), severity, "severity", "severity(...)"),
          required(subject(), rationale, "rationale", "rationale(...)"),
          required(subject(), checklistItem, "checklist item", "checklistItem(...)"),
          references,
          required(subject(), remediation, "remediation", "remediation(...)"),
          tags,
          aliases);
    }

    // What is built, named by its id once set.
    private String subject() {
      return id == null ? "rule info" : "rule info [" + id.value() + "]";
    }
  }
}
