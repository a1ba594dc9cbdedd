package dev.kmsposture.rules;

import java.util.List;
import java.util.Objects;

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
    if (summary.isBlank() || summary.endsWith(".")) {
      throw new IllegalArgumentException(
          String.format(
              "rule summary [%s] must be one non-empty line without a trailing period", summary));
    }
  }

  /** Returns the path of the rule's documentation page, {@code docs/rules/<Id>.md}. */
  public String documentation() {
    return id.documentation();
  }
}
