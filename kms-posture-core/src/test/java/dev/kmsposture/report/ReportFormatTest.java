package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReportFormatTest {

  @Test
  void parse_anyCase_findsTheFormat() {
    assertThat(ReportFormat.parse("Sarif")).isEqualTo(ReportFormat.SARIF);
  }

  @Test
  void parse_unknownName_saysWhatIsAccepted() {
    assertThatThrownBy(() -> ReportFormat.parse("html"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("report format [html] is not known; expected json, sarif, markdown or asff");
  }

  @Test
  void writer_eachFormat_writesTheFixtureReport() {
    for (ReportFormat f : ReportFormat.values()) {
      assertThat(f.writer().write(ReportFixtures.report()))
          .as(f.name())
          .endsWith("\n")
          .hasSizeGreaterThan(100);
    }
  }
}
