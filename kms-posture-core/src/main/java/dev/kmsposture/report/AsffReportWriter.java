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
import java.net.URI;
import java.nio.charset.CodingErrorAction;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a report in the AWS Security Finding Format (ASFF): a JSON array that is the {@code
 * Findings} parameter of Security Hub's {@code BatchImportFindings}, for the account's own default
 * product ({@code arn:<partition>:securityhub:<region>:<account>:product/<account>/default}).
 *
 * <p>Decisions (see {@code docs/report-schema.md}):
 *
 * <ul>
 *   <li>{@code FAIL} → {@code Compliance.Status FAILED}, {@code PASS} → {@code PASSED}, {@code
 *       UNKNOWN} → {@code NOT_AVAILABLE}; {@code NOT_APPLICABLE} results are left out (Security Hub
 *       has no status for them, and importing them would only add noise).
 *   <li>Severity: the checklist's CRITICAL → {@code HIGH}, RECOMMENDED → {@code MEDIUM}, OPTIONAL →
 *       {@code LOW}; a key whose name or tags signal production or sensitive data raises its
 *       failures one step (CRITICAL on such a key → {@code CRITICAL}). Passed checks are {@code
 *       INFORMATIONAL} ("no issue was found"). {@code Severity.Original} keeps the checklist
 *       severity.
 *   <li>{@code Id} is {@code kms-posture/<account>/<fingerprint>}: the same finding keeps its id
 *       across runs, so a re-import updates it (and a fixed key turns it to PASSED).
 *   <li>A suppressed failure has {@code Workflow.Status SUPPRESSED} and its reason in {@code
 *       Note.Text}; a passed check {@code RESOLVED}; everything else {@code NEW}. {@code
 *       RecordState} is {@code ACTIVE}.
 *   <li>{@code CreatedAt} and {@code UpdatedAt} are the snapshot's capture time, so output is
 *       reproducible.
 *   <li>{@code Title} is the rule summary (at most 256 characters), {@code Description} the finding
 *       message (at most 1024), {@code Remediation.Recommendation.Text} the fix (at most 512).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html">AwsSecurityFinding</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html">Required
 *     top-level ASFF attributes</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/securityhub/latest/partnerguide/guidelines-asff-mapping.html">Guidelines
 *     for mapping findings into ASFF</a>
 */
public final class AsffReportWriter implements ReportWriter {
  /** The ASFF schema version. */
  public static final String SCHEMA_VERSION = "2018-10-08";

  /** The finding type: a configuration check against AWS security best practices. */
  public static final String FINDING_TYPE =
      "Software and Configuration Checks/AWS Security Best Practices";

  static final int TITLE_MAX = 256;
  static final int DESCRIPTION_MAX = 1024;
  static final int RECOMMENDATION_MAX = 512;
  static final int NOTE_MAX = 512;

  private final @Nullable URI documentationBase;

  /** Creates a writer whose recommendations name the rule's documentation path in their text. */
  public AsffReportWriter() {
    this.documentationBase = null;
  }

  /**
   * Creates a writer that also sets {@code Remediation.Recommendation.Url} to {@code
   * documentationBase} resolved against {@code docs/rules/<Id>.md}.
   *
   * @param documentationBase an absolute URI ending in {@code /}
   * @throws IllegalArgumentException if it is not absolute or does not end in {@code /}
   */
  public AsffReportWriter(URI documentationBase) {
    this.documentationBase = DocumentationBase.checked(documentationBase);
  }

  @Override
  public String write(PostureReport report) {
    return JsonText.text(out -> write(report, out));
  }

  /** Streams the findings one at a time. */
  @Override
  public void write(PostureResults results, Writer out) throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    JsonText.document(out, body(results));
  }

  /**
   * Prints the same array straight to UTF-8 bytes; the findings are printed a chunk at a time on
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

  /** The array: reads the summary now, the findings when it is printed. */
  JsonText.Body body(PostureResults results) {
    PostureSummary summary = results.summary();
    Map<String, RuleInfo> rules = new HashMap<>();
    for (RuleInfo r : summary.rules()) {
      rules.putIfAbsent(r.id().value(), r);
    }
    return (g, elements) -> {
      g.writeStartArray();
      elements.write(
          g,
          results.findings(),
          this::includes,
          (x, f) -> finding(x, summary, f, rules.get(f.ruleId().value())));
      g.writeEndArray();
    };
  }

  /** Not-applicable results are left out. */
  @Override
  public boolean includes(Finding finding) {
    return finding.status() != Status.NOT_APPLICABLE;
  }

  private void finding(JsonGenerator g, PostureSummary report, Finding f, @Nullable RuleInfo rule)
      throws IOException {
    String account = report.account();
    String region = region(f);
    String time = report.capturedAt().toString();
    String keyArn = f.keyArn();
    g.writeStartObject();
    g.writeStringField("SchemaVersion", SCHEMA_VERSION);
    g.writeStringField("Id", "kms-posture/" + account + "/" + f.fingerprint());
    g.writeStringField(
        "ProductArn",
        "arn:"
            + report.partition()
            + ":securityhub:"
            + region
            + ":"
            + account
            + ":product/"
            + account
            + "/default");
    g.writeStringField("GeneratorId", "kms-posture/" + f.ruleId().value());
    g.writeStringField("AwsAccountId", account);
    g.writeArrayFieldStart("Types");
    g.writeString(FINDING_TYPE);
    g.writeEndArray();
    g.writeStringField("CreatedAt", time);
    g.writeStringField("UpdatedAt", time);
    g.writeObjectFieldStart("Severity");
    g.writeStringField("Label", label(f));
    g.writeStringField("Original", f.severity().name());
    g.writeEndObject();
    String title = rule == null ? f.ruleId().value() : rule.summary();
    g.writeStringField("Title", truncate(title, TITLE_MAX));
    g.writeStringField("Description", truncate(f.message(), DESCRIPTION_MAX));
    g.writeObjectFieldStart("Remediation");
    g.writeObjectFieldStart("Recommendation");
    String doc = f.ruleId().documentation();
    String cli = f.remediation().cliCommand();
    if (keyArn != null) {
      cli = cli.replace("<key-id>", keyArn.substring(keyArn.indexOf(":key/") + 5));
      cli = cli.replace("<key-arn>", keyArn);
    }
    String text =
        f.remediation().description()
            + " AWS CLI: "
            + cli
            + (documentationBase == null ? " (see " + doc + ")" : "");
    g.writeStringField("Text", truncate(text, RECOMMENDATION_MAX));
    if (documentationBase != null) {
      g.writeStringField("Url", documentationBase.resolve(doc).toString());
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeObjectFieldStart("ProductFields");
    g.writeStringField("kmsPosture/ruleId", f.ruleId().value());
    g.writeStringField("kmsPosture/status", f.status().name());
    g.writeStringField("kmsPosture/priority", f.priority().name());
    g.writeStringField("kmsPosture/disposition", f.disposition().name());
    if (!f.priorityReasons().isEmpty()) {
      g.writeStringField("kmsPosture/priorityReasons", String.join("; ", f.priorityReasons()));
    }
    PolicyLocation location = f.location();
    if (location != null) {
      g.writeStringField("kmsPosture/policyPointer", location.place().pointer());
    }
    JsonText.stringIfPresent(g, "kmsPosture/item", f.item());
    g.writeEndObject();
    g.writeArrayFieldStart("Resources");
    g.writeStartObject();
    if (keyArn != null) {
      g.writeStringField("Type", "AwsKmsKey");
      g.writeStringField("Id", keyArn);
    } else {
      g.writeStringField("Type", "AwsAccount");
      g.writeStringField("Id", "AWS::::Account:" + account);
    }
    g.writeStringField("Partition", report.partition());
    g.writeStringField("Region", region);
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("Compliance");
    g.writeStringField("Status", compliance(f.status()));
    g.writeEndObject();
    g.writeObjectFieldStart("Workflow");
    g.writeStringField("Status", workflow(f));
    g.writeEndObject();
    g.writeStringField("RecordState", "ACTIVE");
    String note = f.dispositionNote();
    if (f.disposition() != Finding.Disposition.ACTIVE && note != null) {
      g.writeObjectFieldStart("Note");
      g.writeStringField("Text", truncate(note, NOTE_MAX));
      g.writeStringField("UpdatedBy", "kms-posture");
      g.writeStringField("UpdatedAt", time);
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static String region(Finding f) {
    if (f.keyArn() != null) {
      String[] parts = f.keyArn().split(":", 6);
      if (parts.length == 6 && !parts[3].isEmpty()) {
        return parts[3];
      }
    }
    // An account-level finding has no Region of its own; ASFF needs one for the product ARN.
    return "us-east-1";
  }

  /** Returns the Security Hub severity label of {@code f}. */
  static String label(Finding f) {
    if (f.status() == Status.PASS) {
      return "INFORMATIONAL";
    }
    boolean raised = f.priority() == Finding.Priority.ELEVATED && f.status() == Status.FAIL;
    Severity s = f.severity();
    if (s == Severity.CRITICAL) {
      return raised ? "CRITICAL" : "HIGH";
    }
    if (s == Severity.RECOMMENDED) {
      return raised ? "HIGH" : "MEDIUM";
    }
    return raised ? "MEDIUM" : "LOW";
  }

  private static String compliance(Status s) {
    return switch (s) {
      case PASS -> "PASSED";
      case FAIL -> "FAILED";
      default -> "NOT_AVAILABLE";
    };
  }

  private static String workflow(Finding f) {
    if (f.disposition() == Finding.Disposition.SUPPRESSED) {
      return "SUPPRESSED";
    }
    return f.status() == Status.PASS ? "RESOLVED" : "NEW";
  }

  static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, max - 3) + "...";
  }
}
