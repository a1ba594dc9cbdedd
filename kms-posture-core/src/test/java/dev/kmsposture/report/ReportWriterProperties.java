package dev.kmsposture.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Every writer handles any report: odd text, every status and disposition, missing parts. */
class ReportWriterProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema SARIF_SCHEMA = loadSchema();

  private static final List<RuleInfo> RULES =
      List.of(
          ReportFixtures.TAGGED_BAD,
          ReportFixtures.WILDCARD_PRINCIPAL,
          ReportFixtures.ROTATION_OFF,
          ReportFixtures.NO_TRAIL);

  private static Schema loadSchema() {
    try (InputStream in =
        ReportWriterProperties.class.getResourceAsStream("/sarif/sarif-2.1.0-rtm.5.json")) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
          .getSchema(in, InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Text with Markdown, JSON and shell specials, accents and line breaks. */
  private static Arbitrary<String> text() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars('\n', '\t', 'é', '✓', '—')
        .ofMinLength(1)
        .ofMaxLength(1500)
        .filter(s -> !s.isBlank());
  }

  private record Extra(
      Finding.Priority priority,
      Finding.Disposition disposition,
      @org.jspecify.annotations.Nullable String note) {}

  private static Arbitrary<Finding> findings() {
    Arbitrary<RuleInfo> rule = Arbitraries.of(RULES);
    Arbitrary<Status> status = Arbitraries.of(Status.class);
    Arbitrary<String> keyArn =
        Arbitraries.of(
                "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111",
                "arn:aws:kms:us-west-2:111122223333:key/mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6",
                "arn:aws-cn:kms:cn-north-1:111122223333:key/22222222-2222-4222-8222-222222222222")
            .injectNull(0.2);
    Arbitrary<PolicyLocation> location =
        Arbitraries.integers()
            .between(0, 20)
            .map(
                i ->
                    new PolicyLocation(
                        i, i % 2 == 0 ? null : "Sid" + i, "/Statement/" + i, "h" + i))
            .injectNull(0.5);
    Arbitrary<Finding.Disposition> disposition = Arbitraries.of(Finding.Disposition.class);
    Arbitrary<Finding.Priority> priority = Arbitraries.of(Finding.Priority.class);
    return Combinators.combine(
            rule,
            status,
            keyArn,
            text(),
            text(),
            location,
            text().injectNull(0.6),
            Combinators.combine(priority, disposition, text().injectNull(0.3)).as(Extra::new))
        .as(
            (r, s, arn, subject, message, loc, item, rest) ->
                new Finding(
                    r.id(),
                    r.severity(),
                    s,
                    arn,
                    subject,
                    message,
                    loc,
                    item,
                    r.remediation(),
                    rest.priority(),
                    rest.priority() == Finding.Priority.ELEVATED
                        ? List.of("its alias says prod")
                        : List.of(),
                    s == Status.FAIL ? rest.disposition() : Finding.Disposition.ACTIVE,
                    rest.note()));
  }

  @Provide
  Arbitrary<PostureReport> reports() {
    return Combinators.combine(
            findings().list().ofMaxSize(12),
            Arbitraries.integers().between(0, 5),
            text().list().ofMaxSize(2),
            Arbitraries.of("", "snapshot.json", "audits/my snapshot #1.json"))
        .as(
            (findings, keys, notes, source) ->
                new PostureReport(
                    "111122223333",
                    "aws",
                    ReportFixtures.NOW,
                    keys,
                    RULES,
                    findings,
                    notes,
                    source));
  }

  @Property(tries = 60)
  void sarif_anyReport_validatesAgainstTheSchema(@ForAll("reports") PostureReport report) {
    Statistics.label("failures")
        .collect(report.findings().stream().filter(f -> f.status() == Status.FAIL).count() > 0);

    String sarif = new SarifReportWriter().write(report);

    assertThat(SARIF_SCHEMA.validate(sarif, InputFormat.JSON)).isEmpty();
  }

  // The JSON writer streams one finding at a time; its text must be exactly what printing the
  // whole document as one tree gives, and every writer's Writer form must equal its String form.
  @Property(tries = 40)
  void streamedReports_equalTheirTreeAndStringForms(@ForAll("reports") PostureReport report)
      throws Exception {
    String json = new JsonReportWriter().write(report);
    assertThat(json).isEqualTo(JsonText.print(JSON.readTree(json)));
    for (ReportFormat format : ReportFormat.values()) {
      java.io.StringWriter out = new java.io.StringWriter();
      format.writer().write(report, out);
      assertThat(out.toString()).as(format.name()).isEqualTo(format.writer().write(report));
    }
  }

  @Property(tries = 60)
  void json_anyReport_keepsEveryFindingAndMessage(@ForAll("reports") PostureReport report)
      throws Exception {
    JsonNode root = JSON.readTree(new JsonReportWriter().write(report));

    assertThat(root.get("findings")).hasSize(report.findings().size());
    for (int i = 0; i < report.findings().size(); i++) {
      assertThat(root.get("findings").get(i).get("message").asText())
          .isEqualTo(report.findings().get(i).message());
    }
  }

  @Property(tries = 60)
  void asff_anyReport_respectsSecurityHubLimits(@ForAll("reports") PostureReport report)
      throws Exception {
    JsonNode root = JSON.readTree(new AsffReportWriter().write(report));

    long expected =
        report.findings().stream().filter(f -> f.status() != Status.NOT_APPLICABLE).count();
    assertThat(root).hasSize((int) expected);
    for (JsonNode f : root) {
      assertThat(f.get("Title").asText()).hasSizeLessThanOrEqualTo(AsffReportWriter.TITLE_MAX);
      assertThat(f.get("Description").asText())
          .hasSizeLessThanOrEqualTo(AsffReportWriter.DESCRIPTION_MAX);
      assertThat(f.get("Remediation").get("Recommendation").get("Text").asText())
          .hasSizeLessThanOrEqualTo(AsffReportWriter.RECOMMENDATION_MAX);
      assertThat(f.get("Id").asText()).hasSizeLessThanOrEqualTo(512);
      assertThat(f.get("Severity").get("Label").asText())
          .isIn("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL");
    }
  }

  @Property(tries = 60)
  void markdown_anyReport_namesEveryActiveFailureOnce(@ForAll("reports") PostureReport report) {
    String md = new MarkdownReportWriter().write(report);

    List<String> lines = new ArrayList<>(md.lines().filter(l -> l.startsWith("- **")).toList());
    assertThat(lines).hasSize(report.activeFailures().size());
    assertThat(md).endsWith("\n").doesNotEndWith("\n\n");
  }

  @Property(tries = 30)
  void everyFormat_sameReportTwice_isByteIdentical(
      @ForAll("reports") PostureReport report, @ForAll ReportFormat format) {
    assertThat(format.writer().write(report)).isEqualTo(format.writer().write(report));
  }

  @Property(tries = 20)
  void severityLabel_raisedOnlyForElevatedFailures(@ForAll("reports") PostureReport report) {
    for (Finding f : report.findings()) {
      String label = AsffReportWriter.label(f);
      if (f.status() == Status.PASS) {
        assertThat(label).isEqualTo("INFORMATIONAL");
      } else if (f.severity() == Severity.CRITICAL) {
        assertThat(label)
            .isEqualTo(
                f.status() == Status.FAIL && f.priority() == Finding.Priority.ELEVATED
                    ? "CRITICAL"
                    : "HIGH");
      }
    }
  }
}
