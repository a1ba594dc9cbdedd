package dev.kmsposture.report;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void write_fixtureReport_matchesGoldenFileByteForByte() {
    String actual = new JsonReportWriter().write(ReportFixtures.report());

    assertThat(actual).isEqualTo(ReportFixtures.golden("report.json", actual));
  }

  @Test
  void write_sameReportTwice_isByteIdentical() {
    String first = new JsonReportWriter().write(ReportFixtures.report());
    String second = new JsonReportWriter().write(ReportFixtures.report());

    assertThat(first).isEqualTo(second);
  }

  @Test
  void write_summary_countsStatusesAndActiveFailuresBySeverity() throws Exception {
    JsonNode summary =
        JSON.readTree(new JsonReportWriter().write(ReportFixtures.report())).get("summary");

    assertThat(summary.get("keys").asInt()).isEqualTo(4);
    assertThat(summary.get("emptySnapshot").asBoolean()).isFalse();
    assertThat(summary.get("failuresBySeverity").get("CRITICAL").asInt())
        .as("the signing key's failure is baselined, so only prod-payments counts")
        .isEqualTo(1);
    assertThat(summary.get("failuresByDisposition").get("SUPPRESSED").asInt()).isEqualTo(1);
    assertThat(summary.get("failuresByDisposition").get("BASELINED").asInt()).isEqualTo(1);
  }

  @Test
  void write_findingWithPolicyLocation_hasStatementIndexSidAndPointer() throws Exception {
    JsonNode findings =
        JSON.readTree(new JsonReportWriter().write(ReportFixtures.report())).get("findings");

    JsonNode wildcard = null;
    for (JsonNode f : findings) {
      if (f.get("ruleId").asText().equals("TestWildcardPrincipal")
          && f.get("status").asText().equals("FAIL")) {
        wildcard = f;
      }
    }
    assertThat(wildcard).isNotNull();
    requireNonNull(wildcard);
    assertThat(wildcard.get("location").get("statementIndex").asInt()).isEqualTo(1);
    assertThat(wildcard.get("location").get("sid").asText()).isEqualTo("Public");
    assertThat(wildcard.get("location").get("pointer").asText()).isEqualTo("/Statement/1");
    assertThat(wildcard.get("priority").asText()).isEqualTo("ELEVATED");
    assertThat(wildcard.get("fingerprint").asText()).hasSize(32);
  }

  @Test
  void write_emptySnapshot_saysSoInSummaryAndNotes() throws Exception {
    JsonNode summary =
        JSON.readTree(new JsonReportWriter().write(ReportFixtures.emptyReport())).get("summary");

    assertThat(summary.get("emptySnapshot").asBoolean()).isTrue();
    assertThat(summary.get("notes").get(0).asText()).contains("not a clean result");
  }
}
