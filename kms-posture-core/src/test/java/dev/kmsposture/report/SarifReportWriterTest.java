package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SarifReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Schema schema;

  @BeforeAll
  static void loadSchema() throws Exception {
    try (InputStream in =
        SarifReportWriterTest.class.getResourceAsStream("/sarif/sarif-2.1.0-rtm.5.json")) {
      schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
              .getSchema(in, InputFormat.JSON);
    }
  }

  private static List<Error> validate(String sarif) {
    return schema.validate(sarif, InputFormat.JSON);
  }

  private static JsonNode run(String sarif) throws Exception {
    return JSON.readTree(sarif).get("runs").get(0);
  }

  private static JsonNode result(JsonNode run, String ruleId, String fqnPart) {
    for (JsonNode r : run.get("results")) {
      if (r.get("ruleId").asText().equals(ruleId)
          && r.get("locations")
              .get(0)
              .get("logicalLocations")
              .get(0)
              .get("fullyQualifiedName")
              .asText()
              .contains(fqnPart)) {
        return r;
      }
    }
    throw new AssertionError("no result of " + ruleId + " about " + fqnPart);
  }

  @Test
  void write_fixtureReport_matchesGoldenFileByteForByte() {
    String actual = new SarifReportWriter().write(ReportFixtures.report());

    assertThat(actual).isEqualTo(ReportFixtures.golden("report.sarif", actual));
  }

  @Test
  void write_fixtureReport_validatesAgainstTheSarif210Schema() {
    assertThat(validate(new SarifReportWriter().write(ReportFixtures.report()))).isEmpty();
  }

  @Test
  void write_withDocumentationBase_validatesAgainstTheSarif210Schema() {
    String sarif =
        new SarifReportWriter(URI.create("https://example.org/kms-posture/"))
            .write(ReportFixtures.report());

    assertThat(validate(sarif)).isEmpty();
  }

  @Test
  void write_emptySnapshot_validatesAndReportsAnErrorNotification() throws Exception {
    String sarif = new SarifReportWriter().write(ReportFixtures.emptyReport());

    assertThat(validate(sarif)).isEmpty();
    JsonNode n = run(sarif).get("invocations").get(0).get("toolExecutionNotifications").get(0);
    assertThat(n.get("level").asText()).isEqualTo("error");
    assertThat(n.get("message").get("text").asText()).contains("not a clean result");
  }

  @Test
  void schema_brokenLog_isRejected() {
    // given: a result whose level is not one of SARIF's levels; the validator must notice
    String broken =
        new SarifReportWriter()
            .write(ReportFixtures.report())
            .replaceFirst("\"level\": \"error\"", "\"level\": \"fatal\"");

    assertThat(validate(broken)).isNotEmpty();
  }

  @Test
  void write_rules_carryLevelSecuritySeverityAndHelp() throws Exception {
    JsonNode rules =
        run(new SarifReportWriter().write(ReportFixtures.report()))
            .get("tool")
            .get("driver")
            .get("rules");

    JsonNode critical = rules.get(0);
    assertThat(critical.get("id").asText()).isEqualTo("TestTaggedBad");
    assertThat(critical.get("defaultConfiguration").get("level").asText()).isEqualTo("error");
    assertThat(critical.get("properties").get("security-severity").asText()).isEqualTo("8.5");
    assertThat(critical.get("help").get("text").asText())
        .contains("aws kms untag-resource --key-id <key-id> --tag-keys bad")
        .contains("Checklist item of TestTaggedBad");
    assertThat(rules.get(3).get("defaultConfiguration").get("level").asText()).isEqualTo("note");
  }

  @Test
  void write_failure_hasPhysicalAndLogicalLocationAndFingerprint() throws Exception {
    JsonNode r =
        result(
            run(new SarifReportWriter().write(ReportFixtures.report())),
            "TestTaggedBad",
            "key/1111");

    JsonNode loc = r.get("locations").get(0);
    assertThat(loc.get("physicalLocation").get("artifactLocation").get("uri").asText())
        .isEqualTo("fixtures/snapshot.json");
    assertThat(loc.get("logicalLocations").get(0).get("name").asText()).isEqualTo("prod-payments");
    assertThat(loc.get("logicalLocations").get(0).get("kind").asText()).isEqualTo("resource");
    assertThat(r.get("partialFingerprints").get("kmsPosture/v1").asText()).hasSize(32);
    assertThat(r.get("ruleIndex").asInt()).isZero();
    assertThat(r.get("baselineState").asText()).isEqualTo("new");
  }

  @Test
  void write_suppressedFailure_hasExternalSuppressionWithTheReason() throws Exception {
    JsonNode r =
        result(
            run(new SarifReportWriter().write(ReportFixtures.report())),
            "TestRotationOff",
            "key/3333");

    JsonNode s = r.get("suppressions").get(0);
    assertThat(s.get("kind").asText()).isEqualTo("external");
    assertThat(s.get("justification").asText())
        .isEqualTo("reports are re-encrypted nightly with a new key");
  }

  @Test
  void write_baselinedFailure_isUnchanged() throws Exception {
    JsonNode r =
        result(
            run(new SarifReportWriter().write(ReportFixtures.report())),
            "TestTaggedBad",
            "key/4444");

    assertThat(r.get("baselineState").asText()).isEqualTo("unchanged");
  }

  @Test
  void write_unknownResults_areNotificationsNotResults() throws Exception {
    JsonNode run = run(new SarifReportWriter().write(ReportFixtures.report()));

    assertThat(run.get("results")).as("five key failures and one account failure").hasSize(6);
    JsonNode notifications = run.get("invocations").get(0).get("toolExecutionNotifications");
    assertThat(notifications).hasSize(2);
    assertThat(notifications.get(0).get("message").get("text").asText())
        .startsWith("Could not check: ");
    assertThat(notifications.get(0).get("associatedRule").get("id").asText()).isNotEmpty();
  }

  @Test
  void artifactUri_emptySource_isSnapshotJson() {
    assertThat(SarifReportWriter.artifactUri("")).isEqualTo("snapshot.json");
  }

  @Test
  void artifactUri_windowsPathWithSpace_isEncoded() {
    assertThat(SarifReportWriter.artifactUri("C:\\audits\\my snapshot.json"))
        .isEqualTo("C:/audits/my%20snapshot.json");
  }

  @Test
  void constructor_relativeDocumentationBase_isRejected() {
    assertThatThrownBy(() -> new SarifReportWriter(URI.create("docs/")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("documentation base [docs/] must be an absolute URI ending in /");
  }
}
