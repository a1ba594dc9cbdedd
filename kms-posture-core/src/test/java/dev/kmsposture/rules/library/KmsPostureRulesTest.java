package dev.kmsposture.rules.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Rule;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KmsPostureRulesTest {
  /** Surefire runs in the module directory; the docs live at the repository root. */
  private static final Path REPO_ROOT = Path.of("..").toAbsolutePath().normalize();

  private static List<RuleInfo> infos() {
    return KmsPostureRules.all().rules().stream().map(Rule::info).toList();
  }

  @Test
  void all_everyRule_hasAUniqueId() {
    Set<RuleId> ids = new HashSet<>();
    for (RuleInfo info : infos()) {
      assertThat(ids.add(info.id())).as("id %s is unique", info.id()).isTrue();
      for (RuleId alias : info.aliases()) {
        assertThat(ids.add(alias)).as("former id %s of %s is unique", alias, info.id()).isTrue();
      }
    }
  }

  @Test
  void all_everyRule_isNamedAfterItsClass() {
    for (Rule rule : KmsPostureRules.all().rules()) {
      assertThat(rule.id().value()).isEqualTo(rule.getClass().getSimpleName());
    }
  }

  @Test
  void all_everyRule_hasSummaryWithoutTrailingPeriodAndRationale() {
    for (RuleInfo info : infos()) {
      assertThat(info.summary()).as(info.id().value()).isNotBlank().doesNotEndWith(".");
      assertThat(info.rationale()).as(info.id().value()).isNotBlank();
    }
  }

  @Test
  void all_everyRule_quotesAChecklistItemWithItsSeverityWord() {
    for (RuleInfo info : infos()) {
      assertThat(info.checklistItem())
          .as(info.id().value())
          .containsAnyOf("[Critical]", "[Recommended]", "[Optional]");
    }
  }

  @Test
  void all_everyRule_hasRemediationWithCliAndSdkCall() {
    for (RuleInfo info : infos()) {
      assertThat(info.remediation().description()).as(info.id().value()).isNotBlank();
      assertThat(info.remediation().cliCommand()).as(info.id().value()).startsWith("aws ");
      assertThat(info.remediation().sdkCall()).as(info.id().value()).contains("(");
    }
  }

  @Test
  void all_everyRule_hasADocPageNamingItsId() throws Exception {
    for (RuleInfo info : infos()) {
      Path page = REPO_ROOT.resolve(info.documentation());
      assertThat(page).as(info.id().value()).isRegularFile();
      String text = Files.readString(page);
      assertThat(text)
          .as(info.id().value())
          .startsWith("# " + info.id().value())
          .contains("docs.aws.amazon.com")
          .contains(info.remediation().cliCommand().split(" ", -1)[0] + " ");
    }
  }

  @Test
  void blocking_holdsExactlyTheCriticalRules() {
    assertThat(KmsPostureRules.blocking().rules())
        .isNotEmpty()
        .allMatch(r -> r.info().severity() == Severity.CRITICAL)
        .contains(KmsPostureRules.ROTATION_DISABLED, KmsPostureRules.KEY_PENDING_DELETION)
        .doesNotContain(KmsPostureRules.KEY_UNUSED);
    assertThat(KmsPostureRules.blocking().size())
        .isEqualTo((int) infos().stream().filter(i -> i.severity() == Severity.CRITICAL).count());
  }

  @Test
  void byId_knownId_findsTheRule() {
    assertThat(KmsPostureRules.byId(RuleId.of("RotationDisabled")))
        .containsSame(KmsPostureRules.ROTATION_DISABLED);
  }

  @Test
  void byId_unknownId_isEmpty() {
    assertThat(KmsPostureRules.byId(RuleId.of("NoSuchRule"))).isEmpty();
  }
}
