package dev.kmsposture.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureResults;
import dev.kmsposture.rules.PostureSummary;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The test oracle of {@link AsffReportWriter}: that writer as it was when it built a Jackson tree
 * per finding ({@link TreeJsonText}), kept unchanged so that {@link
 * StreamedWriterEquivalenceProperties} can check the streamed writer prints the same bytes. Do not
 * edit it to follow a change of the writer; a deliberate change of the output needs a new oracle.
 * What follows is the writer's own description.
 *
 * <p>Writes a report in the AWS Security Finding Format (ASFF): a JSON array that is the {@code
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
final class TreeAsffReportWriter implements ReportWriter {
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
  public TreeAsffReportWriter() {
    this.documentationBase = null;
  }

  /**
   * Creates a writer that also sets {@code Remediation.Recommendation.Url} to {@code
   * documentationBase} resolved against {@code docs/rules/<Id>.md}.
   *
   * @param documentationBase an absolute URI ending in {@code /}
   * @throws IllegalArgumentException if it is not absolute or does not end in {@code /}
   */
  public TreeAsffReportWriter(URI documentationBase) {
    this.documentationBase = DocumentationBase.checked(documentationBase);
  }

  @Override
  public String write(PostureReport report) {
    return TreeJsonText.text(out -> write(report, out));
  }

  /** Streams the findings one at a time. */
  @Override
  public void write(PostureResults results, Writer out) throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    PostureSummary summary = results.summary();
    Map<String, RuleInfo> rules = new HashMap<>();
    for (RuleInfo r : summary.rules()) {
      rules.putIfAbsent(r.id().value(), r);
    }
    ArrayNode all = TreeJsonText.array();
    Iterator<Finding> it = results.findings().iterator();
    TreeJsonText.stream(
        out,
        all,
        all,
        new Iterator<JsonNode>() {
          private @Nullable Finding next = advance();

          private @Nullable Finding advance() {
            while (it.hasNext()) {
              Finding f = it.next();
              if (includes(f)) {
                return f;
              }
            }
            return null;
          }

          @Override
          public boolean hasNext() {
            return next != null;
          }

          @Override
          public JsonNode next() {
            Finding f = next;
            if (f == null) {
              throw new java.util.NoSuchElementException();
            }
            next = advance();
            return finding(summary, f, rules.get(f.ruleId().value()));
          }
        });
  }

  /** Not-applicable results are left out. */
  @Override
  public boolean includes(Finding finding) {
    return finding.status() != Status.NOT_APPLICABLE;
  }

  private ObjectNode finding(PostureSummary report, Finding f, @Nullable RuleInfo rule) {
    String account = report.account();
    String region = region(f);
    String time = report.capturedAt().toString();
    ObjectNode o = TreeJsonText.object();
    o.put("SchemaVersion", SCHEMA_VERSION);
    o.put("Id", "kms-posture/" + account + "/" + f.fingerprint());
    o.put(
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
    o.put("GeneratorId", "kms-posture/" + f.ruleId().value());
    o.put("AwsAccountId", account);
    o.putArray("Types").add(FINDING_TYPE);
    o.put("CreatedAt", time);
    o.put("UpdatedAt", time);
    ObjectNode severity = o.putObject("Severity");
    severity.put("Label", label(f));
    severity.put("Original", f.severity().name());
    String title = rule == null ? f.ruleId().value() : rule.summary();
    o.put("Title", truncate(title, TITLE_MAX));
    o.put("Description", truncate(f.message(), DESCRIPTION_MAX));
    ObjectNode rec = o.putObject("Remediation").putObject("Recommendation");
    String doc = f.ruleId().documentation();
    String cli = f.remediation().cliCommand();
    if (f.keyArn() != null) {
      cli = cli.replace("<key-id>", f.keyArn().substring(f.keyArn().indexOf(":key/") + 5));
      cli = cli.replace("<key-arn>", f.keyArn());
    }
    String text =
        f.remediation().description()
            + " AWS CLI: "
            + cli
            + (documentationBase == null ? " (see " + doc + ")" : "");
    rec.put("Text", truncate(text, RECOMMENDATION_MAX));
    if (documentationBase != null) {
      rec.put("Url", documentationBase.resolve(doc).toString());
    }
    ObjectNode fields = o.putObject("ProductFields");
    fields.put("kmsPosture/ruleId", f.ruleId().value());
    fields.put("kmsPosture/status", f.status().name());
    fields.put("kmsPosture/priority", f.priority().name());
    fields.put("kmsPosture/disposition", f.disposition().name());
    if (!f.priorityReasons().isEmpty()) {
      fields.put("kmsPosture/priorityReasons", String.join("; ", f.priorityReasons()));
    }
    if (f.location() != null) {
      fields.put("kmsPosture/policyPointer", f.location().place().pointer());
    }
    if (f.item() != null) {
      fields.put("kmsPosture/item", f.item());
    }
    ObjectNode resource = o.putArray("Resources").addObject();
    if (f.keyArn() != null) {
      resource.put("Type", "AwsKmsKey");
      resource.put("Id", f.keyArn());
    } else {
      resource.put("Type", "AwsAccount");
      resource.put("Id", "AWS::::Account:" + account);
    }
    resource.put("Partition", report.partition());
    resource.put("Region", region);
    o.putObject("Compliance").put("Status", compliance(f.status()));
    o.putObject("Workflow").put("Status", workflow(f));
    o.put("RecordState", "ACTIVE");
    if (f.disposition() != Finding.Disposition.ACTIVE && f.dispositionNote() != null) {
      ObjectNode note = o.putObject("Note");
      note.put("Text", truncate(f.dispositionNote(), NOTE_MAX));
      note.put("UpdatedBy", "kms-posture");
      note.put("UpdatedAt", time);
    }
    return o;
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
