package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.rules.library.KmsPostureRules;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The builder a library user configures the rules with: each setter lands in its setting, and the
 * built value is the one the YAML form gives for the same settings; and a rule set grows and
 * shrinks by rule.
 */
class PostureConfigBuilderTest {

  @Test
  void builder_everySetting_equalsTheYamlForm() {
    Suppression sandbox =
        new Suppression("RotationDisabled", "alias/sandbox-*", "sandbox keys", null);
    Suppression legacy =
        new Suppression("KeyUnused", "alias/legacy", "kept for audits", LocalDate.of(2027, 1, 31));

    PostureConfig built =
        PostureConfig.builder()
            .trustedOrganizations(List.of("o-a1b2c3d4e5"))
            .importExpiryWarningDays(14)
            .keyMaterialMaxAgeDays(730)
            .minDeletionWindowDays(21)
            .disabledBeforeDeletionDays(45)
            .productionNameTokens(List.of("live"))
            .productionTags(Map.of("Stage", List.of("live", "prod")))
            .allowedRegions(List.of("eu-west-1"))
            .allowedMultiRegionKeys(List.of("alias/global-*"))
            .suppressions(List.of(sandbox))
            .addSuppression(legacy)
            .build();

    assertThat(built.trustedOrganizations()).containsExactly("o-a1b2c3d4e5");
    assertThat(built.importExpiryWarningDays()).isEqualTo(14);
    assertThat(built.keyMaterialMaxAgeDays()).isEqualTo(730);
    assertThat(built.minDeletionWindowDays()).isEqualTo(21);
    assertThat(built.disabledBeforeDeletionDays()).isEqualTo(45);
    assertThat(built.productionNameTokens()).containsExactly("live");
    assertThat(built.productionTags()).containsOnlyKeys("Stage");
    assertThat(built.productionTags().get("Stage")).containsExactly("live", "prod");
    assertThat(built.allowedRegions()).containsExactly("eu-west-1");
    assertThat(built.allowedMultiRegionKeys()).containsExactly("alias/global-*");
    assertThat(built.suppressions()).containsExactly(sandbox, legacy);
    // Everything else keeps its default.
    assertThat(built.requiredTags()).isEqualTo(PostureConfig.defaults().requiredTags());
    assertThat(built.unusedDays()).isEqualTo(PostureConfig.defaults().unusedDays());
    // The YAML form of the same settings, apart from the suppressions, is the same value.
    PostureConfig parsed =
        PostureConfig.parse(
            """
            trustedOrganizations: [o-a1b2c3d4e5]
            importExpiryWarningDays: 14
            keyMaterialMaxAgeDays: 730
            minDeletionWindowDays: 21
            disabledBeforeDeletionDays: 45
            productionNameTokens: [live]
            productionTags: {Stage: [live, prod]}
            allowedRegions: [eu-west-1]
            allowedMultiRegionKeys: ['alias/global-*']
            """);
    assertThat(built.toBuilder().suppressions(List.of()).build()).isEqualTo(parsed);
  }

  @Test
  void builder_blankText_isRefusedNamingTheSetting() {
    assertThatThrownBy(() -> PostureConfig.builder().allowedRegions(List.of("us-east-1", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowedRegions contains a blank or null value [ ]; expected non-blank texts");
  }

  @Test
  void ruleSet_withAndWithout_addsAtTheEndAndRemovesById() {
    RuleSet all = KmsPostureRules.all();
    Rule rotation = all.rules().get(0);

    RuleSet without = all.without(rotation.id());
    RuleSet again = without.with(rotation);

    assertThat(without.size()).isEqualTo(all.size() - 1);
    assertThat(without.rules()).extracting(Rule::id).doesNotContain(rotation.id());
    assertThat(again.size()).isEqualTo(all.size());
    assertThat(again.rules().get(again.size() - 1)).isEqualTo(rotation);
    // Removing an id the set does not hold changes nothing.
    assertThat(without.without(rotation.id()).rules()).isEqualTo(without.rules());
  }
}
