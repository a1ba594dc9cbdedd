package dev.kmsposture.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureResults;
import dev.kmsposture.rules.PostureSummary;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The test oracle of {@link JsonReportWriter}: that writer as it was when it built a Jackson tree
 * per finding ({@link TreeJsonText}), kept unchanged so that {@link
 * StreamedWriterEquivalenceProperties} can check the streamed writer prints the same bytes. Do not
 * edit it to follow a change of the writer; a deliberate change of the output needs a new oracle.
 * What follows is the writer's own description.
 *
 * <p>Writes a report as kms-posture's own JSON document, version {@value #SCHEMA_VERSION},
 * described field by field in {@code docs/report-schema.md}: a {@code summary}, the {@code rules}
 * that were applied, and every {@code finding} in report order. Absent values are written as JSON
 * {@code null}, so every finding has the same members.
 *
 * <p>Immutable and thread-safe.
 */
final class TreeJsonReportWriter implements ReportWriter {
  /** The version of the JSON report schema this writer produces. */
  public static final int SCHEMA_VERSION = 1;

  /** Creates the writer. */
  public TreeJsonReportWriter() {}

  @Override
  public String write(PostureReport report) {
    return TreeJsonText.text(out -> write(report, out));
  }

  /** Streams the report: one finding at a time, never the whole document in memory. */
  @Override
  public void write(PostureResults results, Writer out) throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    PostureSummary summary = results.summary();
    ObjectNode root = TreeJsonText.object();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.set("summary", summary(summary));
    ArrayNode rules = root.putArray("rules");
    for (RuleInfo r : summary.rules()) {
      rules.add(rule(r));
    }
    ArrayNode findings = root.putArray("findings");
    Iterator<Finding> it = results.findings().iterator();
    TreeJsonText.stream(
        out,
        root,
        findings,
        new Iterator<JsonNode>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public JsonNode next() {
            return finding(it.next());
          }
        });
  }

  private static ObjectNode summary(PostureSummary summary) {
    ObjectNode s = TreeJsonText.object();
    s.put("account", summary.account());
    s.put("partition", summary.partition());
    s.put("capturedAt", summary.capturedAt().toString());
    s.put("source", summary.source());
    s.put("keys", summary.keyCount());
    s.put("rules", summary.rules().size());
    s.put("emptySnapshot", summary.isEmptySnapshot());
    ObjectNode byStatus = s.putObject("countsByStatus");
    for (Map.Entry<Status, Long> e : summary.countsByStatus().entrySet()) {
      byStatus.put(e.getKey().name(), e.getValue());
    }
    ObjectNode bySeverity = s.putObject("failuresBySeverity");
    for (Map.Entry<Severity, Long> e : summary.failuresBySeverity().entrySet()) {
      bySeverity.put(e.getKey().name(), e.getValue());
    }
    ObjectNode byDisposition = s.putObject("failuresByDisposition");
    for (Map.Entry<Finding.Disposition, Long> e : summary.failuresByDisposition().entrySet()) {
      byDisposition.put(e.getKey().name(), e.getValue());
    }
    s.set("notes", TreeJsonText.strings(summary.notes()));
    return s;
  }

  private static ObjectNode rule(RuleInfo r) {
    ObjectNode o = TreeJsonText.object();
    o.put("id", r.id().value());
    o.put("summary", r.summary());
    o.put("severity", r.severity().name());
    o.put("checklistItem", r.checklistItem());
    o.set("references", TreeJsonText.strings(r.references()));
    o.set("tags", TreeJsonText.strings(r.tags()));
    o.put("documentation", r.documentation());
    return o;
  }

  private static ObjectNode finding(Finding f) {
    ObjectNode o = TreeJsonText.object();
    o.put("ruleId", f.ruleId().value());
    o.put("severity", f.severity().name());
    o.put("status", f.status().name());
    TreeJsonText.putNullable(o, "keyArn", f.keyArn());
    o.put("subject", f.subject());
    o.put("message", f.message());
    PolicyLocation l = f.location();
    if (l == null) {
      o.putNull("location");
    } else {
      ObjectNode lo = o.putObject("location");
      lo.put("statementIndex", l.place().index());
      TreeJsonText.putNullable(lo, "sid", l.place().sid());
      lo.put("pointer", l.place().pointer());
    }
    TreeJsonText.putNullable(o, "item", f.item());
    o.put("priority", f.priority().name());
    o.set("priorityReasons", TreeJsonText.strings(f.priorityReasons()));
    o.put("disposition", f.disposition().name());
    TreeJsonText.putNullable(o, "dispositionNote", f.dispositionNote());
    o.put("fingerprint", f.fingerprint());
    ObjectNode rem = o.putObject("remediation");
    rem.put("description", f.remediation().description());
    rem.put("cli", f.remediation().cliCommand());
    rem.put("sdk", f.remediation().sdkCall());
    return o;
  }
}
