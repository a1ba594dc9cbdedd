package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.rules.library.KmsPostureRules;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleInfoBuilderTest {
  private static final Remediation FIX =
      new Remediation(
          "Tag the key with its cost center.",
          "aws kms tag-resource --key-id <key-id> --tags TagKey=CostCenter,TagValue=<cc>",
          "kms.tagResource(r -> r.keyId(keyId))");

  private static RuleInfo.Builder required() {
    return RuleInfo.builder()
        .id(RuleId.of("CostCenterTagMissing"))
        .summary("Customer-managed keys carry a CostCenter tag")
        .severity(Severity.OPTIONAL)
        .rationale("Finance charges each key's monthly cost to the tagged cost center.")
        .checklistItem("Internal tagging standard, section 4")
        .remediation(FIX);
  }

  @Test
  void build_everyPart_equalsTheCanonicalConstructor() {
    // when
    RuleInfo built =
        required()
            .references(List.of("CIS 3.6"))
            .addReference("Security Hub KMS.4")
            .tags(List.of("hygiene"))
            .addTag("lifecycle")
            .aliases(List.of(RuleId.of("CostCenterMissing")))
            .addAlias(RuleId.of("NoCostCenter"))
            .build();

    // then
    assertThat(built)
        .isEqualTo(
            new RuleInfo(
                RuleId.of("CostCenterTagMissing"),
                "Customer-managed keys carry a CostCenter tag",
                Severity.OPTIONAL,
                "Finance charges each key's monthly cost to the tagged cost center.",
                "Internal tagging standard, section 4",
                List.of("CIS 3.6", "Security Hub KMS.4"),
                FIX,
                List.of("hygiene", "lifecycle"),
                List.of(RuleId.of("CostCenterMissing"), RuleId.of("NoCostCenter"))));
  }

  @Test
  void build_requiredOnly_hasNoReferencesTagsOrAliases() {
    RuleInfo info = required().build();

    assertThat(info.references()).isEmpty();
    assertThat(info.tags()).isEmpty();
    assertThat(info.aliases()).isEmpty();
  }

  @Test
  void toBuilder_ofEveryBuiltInRule_roundTrips() {
    for (Rule rule : KmsPostureRules.all().rules()) {
      assertThat(rule.info().toBuilder().build()).as(rule.id().value()).isEqualTo(rule.info());
    }
  }

  @Test
  void summary_withTrailingPeriod_failsAsTheConstructorDoes() {
    assertThatThrownBy(() -> RuleInfo.builder().summary("Keys rotate."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rule summary [Keys rotate.] must be one non-empty line without a trailing period");
  }

  @Test
  void rationale_blank_failsWithTheValue() {
    assertThatThrownBy(() -> RuleInfo.builder().rationale(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rule rationale [ ] is blank; expected why the rule matters");
  }

  @Test
  void checklistItem_blank_failsWithTheValue() {
    assertThatThrownBy(() -> RuleInfo.builder().checklistItem(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "rule checklist item [] is blank; expected the checklist item the rule enforces");
  }

  @Test
  void addReference_blank_failsWithTheValue() {
    assertThatThrownBy(() -> RuleInfo.builder().references(List.of("CIS 3.6", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rule reference [] is blank; expected a check such as CIS 3.6");
  }

  @Test
  void addTag_blank_failsWithTheValue() {
    assertThatThrownBy(() -> RuleInfo.builder().addTag(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rule tag [ ] is blank; expected a tag such as rotation or lifecycle");
  }

  @Test
  void build_withoutId_failsNamingTheSetter() {
    RuleInfo.Builder b =
        RuleInfo.builder()
            .summary("Keys carry a tag")
            .severity(Severity.OPTIONAL)
            .rationale("why")
            .checklistItem("item")
            .remediation(FIX);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("rule info has no id; set it with id(...) before build()");
  }

  @Test
  void build_withoutRemediation_failsNamingTheRuleAndTheSetter() {
    RuleInfo.Builder b =
        RuleInfo.builder()
            .id(RuleId.of("CostCenterTagMissing"))
            .summary("Keys carry a tag")
            .severity(Severity.OPTIONAL)
            .rationale("why")
            .checklistItem("item");

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "rule info [CostCenterTagMissing] has no remediation; set it with remediation(...)"
                + " before build()");
  }

  @Test
  void build_withoutEachOtherRequiredPart_failsNamingItsSetter() {
    RuleInfo.Builder noSummary =
        RuleInfo.builder()
            .id(RuleId.of("X"))
            .severity(Severity.OPTIONAL)
            .rationale("why")
            .checklistItem("item")
            .remediation(FIX);
    RuleInfo.Builder noSeverity =
        RuleInfo.builder()
            .id(RuleId.of("X"))
            .summary("s")
            .rationale("why")
            .checklistItem("item")
            .remediation(FIX);
    RuleInfo.Builder noRationale =
        RuleInfo.builder()
            .id(RuleId.of("X"))
            .summary("s")
            .severity(Severity.OPTIONAL)
            .checklistItem("item")
            .remediation(FIX);
    RuleInfo.Builder noChecklistItem =
        RuleInfo.builder()
            .id(RuleId.of("X"))
            .summary("s")
            .severity(Severity.OPTIONAL)
            .rationale("why")
            .remediation(FIX);

    assertThatThrownBy(noSummary::build)
        .hasMessage("rule info [X] has no summary; set it with summary(...) before build()");
    assertThatThrownBy(noSeverity::build)
        .hasMessage("rule info [X] has no severity; set it with severity(...) before build()");
    assertThatThrownBy(noRationale::build)
        .hasMessage("rule info [X] has no rationale; set it with rationale(...) before build()");
    assertThatThrownBy(noChecklistItem::build)
        .hasMessage(
            "rule info [X] has no checklist item; set it with checklistItem(...) before build()");
  }
}
