package dev.kmsposture.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureResults;
import dev.kmsposture.rules.PostureSummary;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.CodingErrorAction;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a report as kms-posture's own JSON document, version {@value #SCHEMA_VERSION}, described
 * field by field in {@code docs/report-schema.md}: a {@code summary}, the {@code rules} that were
 * applied, and every {@code finding} in report order. Absent values are written as JSON {@code
 * null}, so every finding has the same members.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonReportWriter implements ReportWriter {
  /** The version of the JSON report schema this writer produces. */
  public static final int SCHEMA_VERSION = 1;

  /** Creates the writer. */
  public JsonReportWriter() {}

  @Override
  public String write(PostureReport report) {
    return JsonText.text(out -> write(report, out));
  }

  /** Streams the report: one finding at a time, never the whole document in memory. */
  @Override
  public void write(PostureResults results, Writer out) throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    JsonText.document(out, body(results));
  }

  /**
   * Prints the same document straight to UTF-8 bytes; the findings are printed a chunk at a time on
   * threads of their own.
   */
  @Override
  public void write(PostureResults results, OutputStream out, CodingErrorAction malformed)
      throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(malformed, "malformed");
    JsonText.document(out, malformed, body(results));
  }

  /** The document: reads the summary now, the findings when it is printed. */
  JsonText.Body body(PostureResults results) {
    PostureSummary summary = results.summary();
    return (g, elements) -> {
      g.writeStartObject();
      g.writeNumberField("schemaVersion", SCHEMA_VERSION);
      g.writeFieldName("summary");
      summary(g, summary);
      g.writeArrayFieldStart("rules");
      for (RuleInfo r : summary.rules()) {
        rule(g, r);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("findings");
      elements.write(g, results.findings(), f -> true, JsonReportWriter::finding);
      g.writeEndArray();
      g.writeEndObject();
    };
  }

  private static void summary(JsonGenerator g, PostureSummary summary) throws IOException {
    g.writeStartObject();
    g.writeStringField("account", summary.account());
    g.writeStringField("partition", summary.partition());
    g.writeStringField("capturedAt", summary.capturedAt().toString());
    g.writeStringField("source", summary.source());
    g.writeNumberField("keys", summary.keyCount());
    g.writeNumberField("rules", summary.rules().size());
    g.writeBooleanField("emptySnapshot", summary.isEmptySnapshot());
    g.writeObjectFieldStart("countsByStatus");
    for (Map.Entry<Status, Long> e : summary.countsByStatus().entrySet()) {
      g.writeNumberField(e.getKey().name(), e.getValue());
    }
    g.writeEndObject();
    g.writeObjectFieldStart("failuresBySeverity");
    for (Map.Entry<Severity, Long> e : summary.failuresBySeverity().entrySet()) {
      g.writeNumberField(e.getKey().name(), e.getValue());
    }
    g.writeEndObject();
    g.writeObjectFieldStart("failuresByDisposition");
    for (Map.Entry<Finding.Disposition, Long> e : summary.failuresByDisposition().entrySet()) {
      g.writeNumberField(e.getKey().name(), e.getValue());
    }
    g.writeEndObject();
    JsonText.strings(g, "notes", summary.notes());
    g.writeEndObject();
  }

  private static void rule(JsonGenerator g, RuleInfo r) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id().value());
    g.writeStringField("summary", r.summary());
    g.writeStringField("severity", r.severity().name());
    g.writeStringField("checklistItem", r.checklistItem());
    JsonText.strings(g, "references", r.references());
    JsonText.strings(g, "tags", r.tags());
    g.writeStringField("documentation", r.documentation());
    g.writeEndObject();
  }

  private static void finding(JsonGenerator g, Finding f) throws IOException {
    g.writeStartObject();
    g.writeStringField("ruleId", f.ruleId().value());
    g.writeStringField("severity", f.severity().name());
    g.writeStringField("status", f.status().name());
    JsonText.stringOrNull(g, "keyArn", f.keyArn());
    g.writeStringField("subject", f.subject());
    g.writeStringField("message", f.message());
    PolicyLocation l = f.location();
    if (l == null) {
      g.writeNullField("location");
    } else {
      g.writeObjectFieldStart("location");
      g.writeNumberField("statementIndex", l.place().index());
      JsonText.stringOrNull(g, "sid", l.place().sid());
      g.writeStringField("pointer", l.place().pointer());
      g.writeEndObject();
    }
    JsonText.stringOrNull(g, "item", f.item());
    g.writeStringField("priority", f.priority().name());
    JsonText.strings(g, "priorityReasons", f.priorityReasons());
    g.writeStringField("disposition", f.disposition().name());
    JsonText.stringOrNull(g, "dispositionNote", f.dispositionNote());
    g.writeStringField("fingerprint", f.fingerprint());
    g.writeObjectFieldStart("remediation");
    g.writeStringField("description", f.remediation().description());
    g.writeStringField("cli", f.remediation().cliCommand());
    g.writeStringField("sdk", f.remediation().sdkCall());
    g.writeEndObject();
    g.writeEndObject();
  }
}
