package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.rules.Rule;
import dev.kmsposture.rules.library.KmsPostureRules;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A fix shown in the Markdown report keeps its JSON copyable: every JSON object in a remediation is
 * in a code span, unescaped, and parses (on main the text escaped {@code "*"} as {@code "\*"}).
 */
class MarkdownFixJsonTest {
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void prose_jsonInEveryBuiltInRemediation_isAValidJsonCodeSpan() {
    List<String> objects = new ArrayList<>();
    for (Rule rule : KmsPostureRules.all().rules()) {
      String rendered = MarkdownReportWriter.prose(rule.info().remediation().description());
      Matcher m = CODE_SPAN.matcher(rendered);
      StringBuilder outside = new StringBuilder();
      int last = 0;
      while (m.find()) {
        outside.append(rendered, last, m.start());
        last = m.end();
        String span = m.group(1);
        if (span.startsWith("{")) {
          objects.add(span);
          assertThatCode(() -> JSON.readTree(span))
              .as(rule.id() + ": " + span)
              .doesNotThrowAnyException();
        }
      }
      outside.append(rendered.substring(last));
      assertThat(outside.toString()).as(rule.id().value()).doesNotContain("{\"");
    }
    // The remediations that carry JSON (a Deny statement, condition blocks) were found.
    assertThat(objects).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void prose_textAroundJsonIsStillEscaped() {
    assertThat(MarkdownReportWriter.prose("add *this*: {\"Principal\": \"*\"} to `x`"))
        .isEqualTo("add \\*this\\*: `{\"Principal\": \"*\"}` to \\`x\\`");
  }

  @Test
  void prose_unbalancedBraceIsPlainText() {
    assertThat(MarkdownReportWriter.prose("{\"a\": 1")).isEqualTo("{\"a\": 1");
  }
}
