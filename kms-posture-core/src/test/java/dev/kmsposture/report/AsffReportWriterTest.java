package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AsffReportWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<JsonNode> findings(String asff) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(asff).forEach(out::add);
    return out;
  }

  private static JsonNode find(List<JsonNode> all, String rule, String resourceIdPart) {
    return all.stream()
        .filter(f -> f.get("GeneratorId").asText().equals("kms-posture/" + rule))
        .filter(f -> f.get("Resources").get(0).get("Id").asText().contains(resourceIdPart))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void write_fixtureReport_matchesGoldenFileByteForByte() {
    String actual = new AsffReportWriter().write(ReportFixtures.report());

    assertThat(actual).isEqualTo(ReportFixtures.golden("report.asff.json", actual));
  }

  @Test
  void write_everyFinding_hasTheRequiredTopLevelAttributes() throws Exception {
    List<String> required =
        List.of(
            "SchemaVersion",
            "Id",
            "ProductArn",
            "GeneratorId",
            "AwsAccountId",
            "Types",
            "CreatedAt",
            "UpdatedAt",
            "Severity",
            "Title",
            "Description",
            "Resources");

    for (JsonNode f : findings(new AsffReportWriter().write(ReportFixtures.report()))) {
      for (String field : required) {
        assertThat(f.has(field)).as("%s in %s", field, f.get("Id")).isTrue();
      }
      assertThat(f.get("Description").asText()).hasSizeLessThanOrEqualTo(1024);
      assertThat(f.get("Title").asText()).hasSizeLessThanOrEqualTo(256);
    }
  }

  @Test
  void write_notApplicableResults_areLeftOut() throws Exception {
    List<JsonNode> all = findings(new AsffReportWriter().write(ReportFixtures.report()));

    assertThat(all)
        .noneMatch(
            f -> f.get("ProductFields").get("kmsPosture/status").asText().equals("NOT_APPLICABLE"));
    assertThat(all).hasSize(12);
  }

  @Test
  void write_criticalFailureOnProductionKey_isLabelledCritical() throws Exception {
    JsonNode f =
        find(
            findings(new AsffReportWriter().write(ReportFixtures.report())),
            "TestTaggedBad",
            "key/1111");

    assertThat(f.get("Severity").get("Label").asText()).isEqualTo("CRITICAL");
    assertThat(f.get("Severity").get("Original").asText()).isEqualTo("CRITICAL");
    assertThat(f.get("Compliance").get("Status").asText()).isEqualTo("FAILED");
    assertThat(f.get("ProductArn").asText())
        .isEqualTo("arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default");
  }

  @Test
  void write_criticalFailureOnOrdinaryKey_isLabelledHigh() throws Exception {
    JsonNode f =
        find(
            findings(new AsffReportWriter().write(ReportFixtures.report())),
            "TestTaggedBad",
            "key/4444");

    assertThat(f.get("Severity").get("Label").asText()).isEqualTo("HIGH");
  }

  @Test
  void write_suppressedFailure_hasWorkflowSuppressedAndTheReason() throws Exception {
    JsonNode f =
        find(
            findings(new AsffReportWriter().write(ReportFixtures.report())),
            "TestRotationOff",
            "key/3333");

    assertThat(f.get("Workflow").get("Status").asText()).isEqualTo("SUPPRESSED");
    assertThat(f.get("Note").get("Text").asText())
        .isEqualTo("reports are re-encrypted nightly with a new key");
  }

  @Test
  void write_unknownAndPass_mapToNotAvailableAndPassed() throws Exception {
    List<JsonNode> all = findings(new AsffReportWriter().write(ReportFixtures.report()));

    JsonNode unknown = find(all, "TestRotationOff", "key/2222");
    JsonNode pass = find(all, "TestWildcardPrincipal", "key/3333");
    assertThat(unknown.get("Compliance").get("Status").asText()).isEqualTo("NOT_AVAILABLE");
    assertThat(pass.get("Compliance").get("Status").asText()).isEqualTo("PASSED");
    assertThat(pass.get("Severity").get("Label").asText()).isEqualTo("INFORMATIONAL");
  }

  @Test
  void write_accountFinding_isAboutTheAccountResource() throws Exception {
    JsonNode f =
        find(
            findings(new AsffReportWriter().write(ReportFixtures.report())),
            "TestNoTrail",
            "Account");

    assertThat(f.get("Resources").get(0).get("Type").asText()).isEqualTo("AwsAccount");
    assertThat(f.get("Resources").get(0).get("Id").asText())
        .isEqualTo("AWS::::Account:111122223333");
  }

  @Test
  void write_withDocumentationBase_linksTheRulePage() throws Exception {
    String asff =
        new AsffReportWriter(URI.create("https://example.org/kms-posture/"))
            .write(ReportFixtures.report());

    JsonNode f = find(findings(asff), "TestTaggedBad", "key/1111");
    assertThat(f.get("Remediation").get("Recommendation").get("Url").asText())
        .isEqualTo("https://example.org/kms-posture/docs/rules/TestTaggedBad.md");
  }

  @Test
  void truncate_longText_endsWithEllipsisWithinLimit() {
    String cut = AsffReportWriter.truncate("x".repeat(2000), 1024);

    assertThat(cut).hasSize(1024).endsWith("...");
  }
}
