package dev.kmsposture.report;

import static dev.kmsposture.testing.Gens.alphabet;
import static dev.kmsposture.testing.Gens.ints;
import static dev.kmsposture.testing.Gens.lists;
import static dev.kmsposture.testing.Gens.orNull;
import static dev.kmsposture.testing.Gens.pick;
import static dev.kmsposture.testing.Gens.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.testing.Coverage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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
  private static Gen<String> text() {
    return strings(alphabet(' ', '~', "\n\té✓—"), 1, 1500).assuming(s -> !s.isBlank());
  }

  private record Extra(
      Finding.Priority priority,
      Finding.Disposition disposition,
      @org.jspecify.annotations.Nullable String note) {}

  private record Where(
      @org.jspecify.annotations.Nullable String keyArn,
      @org.jspecify.annotations.Nullable PolicyLocation location,
      @org.jspecify.annotations.Nullable String item) {}

  private static Gen<Finding> findings() {
    Gen<RuleInfo> rule = pick(RULES);
    Gen<Status> status = Generate.enumValues(Status.class);
    Gen<String> keyArn =
        orNull(
            pick(
                "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111",
                "arn:aws:kms:us-west-2:111122223333:key/mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6",
                "arn:aws-cn:kms:cn-north-1:111122223333:key/22222222-2222-4222-8222-222222222222"),
            20);
    Gen<PolicyLocation> location =
        orNull(
            ints(0, 20)
                .map(
                    i ->
                        new PolicyLocation(
                            new StatementPlace(i, i % 2 == 0 ? null : "Sid" + i, "/Statement/" + i),
                            "h" + i)),
            50);
    Gen<Finding.Disposition> disposition = Generate.enumValues(Finding.Disposition.class);
    Gen<Finding.Priority> priority = Generate.enumValues(Finding.Priority.class);
    Gen<Extra> extra = priority.zip(disposition, orNull(text(), 30), Extra::new);
    Gen<Where> where = keyArn.zip(location, orNull(text(), 60), Where::new);
    return rule.zip(
        status,
        where,
        text().zip(text(), (subject, message) -> List.of(subject, message)),
        extra,
        (r, s, w, subjectAndMessage, rest) ->
            Finding.builder()
                .ruleId(r.id())
                .severity(r.severity())
                .status(s)
                .keyArn(w.keyArn())
                .subject(subjectAndMessage.get(0))
                .message(subjectAndMessage.get(1))
                .location(w.location())
                .item(w.item())
                .remediation(r.remediation())
                .priority(rest.priority())
                .priorityReasons(
                    rest.priority() == Finding.Priority.ELEVATED
                        ? List.of("its alias says prod")
                        : List.of())
                .disposition(s == Status.FAIL ? rest.disposition() : Finding.Disposition.ACTIVE)
                .dispositionNote(rest.note())
                .build());
  }

  private static Gen<PostureReport> reports() {
    return lists(findings(), 0, 12)
        .zip(
            ints(0, 5),
            lists(text(), 0, 2),
            pick("", "snapshot.json", "audits/my snapshot #1.json"),
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

  @Test
  void sarif_anyReport_validatesAgainstTheSchema() {
    Coverage coverage = new Coverage();
    qt().withExamples(66)
        .forAll(reports())
        .checkAssert(
            report -> {
              coverage.collect(
                  "failures", report.findings().stream().anyMatch(f -> f.status() == Status.FAIL));

              String sarif = new SarifReportWriter().write(report);

              assertThat(SARIF_SCHEMA.validate(sarif, InputFormat.JSON)).isEmpty();
            });
    coverage.requireAtLeast("failures", true, 20);
  }

  // The JSON writer streams one finding at a time; its text must be exactly what printing the
  // whole document as one tree gives, and every writer's Writer form must equal its String form.
  @Test
  void streamedReports_equalTheirTreeAndStringForms() {
    qt().withExamples(44)
        .forAll(reports())
        .checkAssert(
            report -> {
              try {
                String json = new JsonReportWriter().write(report);
                assertThat(json).isEqualTo(TreeJsonText.print(JSON.readTree(json)));
                for (ReportFormat format : ReportFormat.values()) {
                  java.io.StringWriter out = new java.io.StringWriter();
                  format.writer().write(report, out);
                  assertThat(out.toString())
                      .as(format.name())
                      .isEqualTo(format.writer().write(report));
                }
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void json_anyReport_keepsEveryFindingAndMessage() {
    qt().withExamples(66)
        .forAll(reports())
        .checkAssert(
            report -> {
              try {
                JsonNode root = JSON.readTree(new JsonReportWriter().write(report));

                assertThat(root.get("findings")).hasSize(report.findings().size());
                for (int i = 0; i < report.findings().size(); i++) {
                  assertThat(root.get("findings").get(i).get("message").asText())
                      .isEqualTo(report.findings().get(i).message());
                }
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void asff_anyReport_respectsSecurityHubLimits() {
    qt().withExamples(66)
        .forAll(reports())
        .checkAssert(
            report -> {
              try {
                JsonNode root = JSON.readTree(new AsffReportWriter().write(report));

                long expected =
                    report.findings().stream()
                        .filter(f -> f.status() != Status.NOT_APPLICABLE)
                        .count();
                assertThat(root).hasSize((int) expected);
                for (JsonNode f : root) {
                  assertThat(f.get("Title").asText())
                      .hasSizeLessThanOrEqualTo(AsffReportWriter.TITLE_MAX);
                  assertThat(f.get("Description").asText())
                      .hasSizeLessThanOrEqualTo(AsffReportWriter.DESCRIPTION_MAX);
                  assertThat(f.get("Remediation").get("Recommendation").get("Text").asText())
                      .hasSizeLessThanOrEqualTo(AsffReportWriter.RECOMMENDATION_MAX);
                  assertThat(f.get("Id").asText()).hasSizeLessThanOrEqualTo(512);
                  assertThat(f.get("Severity").get("Label").asText())
                      .isIn("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL");
                }
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void markdown_anyReport_namesEveryActiveFailureOnce() {
    qt().withExamples(66)
        .forAll(reports())
        .checkAssert(
            report -> {
              String md = new MarkdownReportWriter().write(report);

              List<String> lines =
                  new ArrayList<>(md.lines().filter(l -> l.startsWith("- **")).toList());
              assertThat(lines).hasSize(report.activeFailures().size());
              assertThat(md).endsWith("\n").doesNotEndWith("\n\n");
            });
  }

  @Test
  void everyFormat_sameReportTwice_isByteIdentical() {
    qt().withExamples(33)
        .forAll(reports(), Generate.enumValues(ReportFormat.class))
        .checkAssert(
            (report, format) ->
                assertThat(format.writer().write(report)).isEqualTo(format.writer().write(report)));
  }

  @Test
  void severityLabel_raisedOnlyForElevatedFailures() {
    qt().withExamples(22)
        .forAll(reports())
        .checkAssert(
            report -> {
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
            });
  }
}
