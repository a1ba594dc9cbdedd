package dev.kmsposture.blueprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.RuleId;
import org.junit.jupiter.api.Test;

/**
 * The parts of the blueprint API that only library users call: the words of an alias, the tags a
 * key carries, the pointer of a parse error and the validation an insecure blueprint failed.
 */
class BlueprintAccessorsTest {

  @Test
  void aliasName_applicationAndPurpose() {
    AliasName alias = KeyBlueprint.fromYaml(KeyBlueprintTest.REFERENCE).alias();

    assertThat(alias.environment()).isEqualTo("prod");
    assertThat(alias.application()).isEqualTo("payments");
    assertThat(alias.purpose()).isEqualTo("customer-pii");
  }

  @Test
  void keyTags_addTheMultiRegionJustification() {
    KeyBlueprint single = KeyBlueprint.fromYaml(KeyBlueprintTest.REFERENCE);
    KeyBlueprint multi =
        KeyBlueprint.fromYaml(
            KeyBlueprintTest.REFERENCE
                + "multiRegion: {replicas: [eu-west-1], reason: Aurora global database failover}\n");

    assertThat(single.keyTags()).isEqualTo(single.tags());
    assertThat(multi.keyTags())
        .containsAllEntriesOf(multi.tags())
        .containsEntry("MultiRegionJustification", "Aurora global database failover")
        .hasSize(multi.tags().size() + 1);
  }

  @Test
  void parseException_pointer_isTheOffendingField() {
    BlueprintParseException e =
        catchThrowableOfType(
            BlueprintParseException.class,
            () ->
                KeyBlueprint.fromYaml(
                    KeyBlueprintTest.REFERENCE.replace("Owner: team-payments, ", "")));

    assertThat(e.pointer()).startsWith("/tags");
    assertThat(e.getMessage()).contains(e.pointer());
  }

  @Test
  void insecureBlueprintException_validation_isTheFailedValidation() {
    String off =
        KeyBlueprintTest.REFERENCE.replace("{enabled: true, periodDays: 365}", "{enabled: false}");
    BlueprintValidation v = KeyBlueprint.fromYaml(off).validate(KeyBlueprintTest.context());

    InsecureBlueprintException e =
        catchThrowableOfType(InsecureBlueprintException.class, v::requirePassed);

    assertThat(e.validation()).isEqualTo(v);
    assertThat(e.validation().blocking())
        .extracting(Finding::ruleId)
        .contains(RuleId.of("RotationDisabled"));
  }
}
