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
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The test oracle of {@link SarifReportWriter}: that writer as it was when it built a Jackson tree
 * per finding ({@link TreeJsonText}), kept unchanged so that {@link
 * StreamedWriterEquivalenceProperties} can check the streamed writer prints the same bytes. Do not
 * edit it to follow a change of the writer; a deliberate change of the output needs a new oracle.
 * What follows is the writer's own description.
 *
 * <p>Writes a report as a SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF
 * viewers.
 *
 * <ul>
 *   <li>{@code tool.driver.rules} holds every applied rule: its summary as {@code
 *       shortDescription}, rationale as {@code fullDescription}, remediation and checklist item as
 *       {@code help}, the checklist severity as {@code defaultConfiguration.level} (CRITICAL →
 *       {@code error}, RECOMMENDED → {@code warning}, OPTIONAL → {@code note}) and GitHub's {@code
 *       security-severity} property (8.5 high, 5.5 medium, 2.5 low).
 *   <li>Only failures become results. Each has the report's source file as its physical location
 *       (GitHub requires one; the region is line 1, since a finding is about a key, not a line),
 *       the key as a logical location of kind {@code resource}, the finding's fingerprint as {@code
 *       partialFingerprints["kmsPosture/v1"]}, a {@code suppressions} entry (kind {@code external},
 *       the written reason as justification) when suppressed, and {@code baselineState} {@code
 *       unchanged} when the baseline knew it, {@code new} otherwise.
 *   <li>{@code UNKNOWN} results ("could not check") and the report's notes (such as an empty
 *       snapshot) are {@code invocations[0].toolExecutionNotifications}, so they are visible but do
 *       not open alerts. Passing and not-applicable results are left out.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @see <a href="https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html">SARIF 2.1.0</a>
 * @see <a
 *     href="https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning">SARIF
 *     support for code scanning</a>
 */
final class TreeSarifReportWriter implements ReportWriter {
  /** The {@code $schema} this writer declares. */
  public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

  /** The key under {@code partialFingerprints} that holds {@link Finding#fingerprint()}. */
  public static final String FINGERPRINT_KEY = "kmsPosture/v1";

  /** The artifact named when the report has no source file. */
  public static final String DEFAULT_ARTIFACT = "snapshot.json";

  private final @Nullable URI documentationBase;

  /**
   * Creates a writer that names rule documentation by its repository path ({@code
   * docs/rules/<Id>.md}) in the help text only.
   */
  public TreeSarifReportWriter() {
    this.documentationBase = null;
  }

  /**
   * Creates a writer that also links each rule's documentation: {@code helpUri} is {@code
   * documentationBase} resolved against {@code docs/rules/<Id>.md}, and {@code
   * tool.driver.informationUri} is {@code documentationBase} itself.
   *
   * @param documentationBase an absolute URI ending in {@code /}, such as the web address of the
   *     repository's main branch
   * @throws IllegalArgumentException if it is not absolute or does not end in {@code /}
   */
  public TreeSarifReportWriter(URI documentationBase) {
    this.documentationBase = DocumentationBase.checked(documentationBase);
  }

  @Override
  public String write(PostureReport report) {
    return TreeJsonText.text(out -> write(report, out));
  }

  /**
   * Streams the results (failures) one at a time; the rest of the run is built first, reading the
   * findings once for the unknown results (notifications come before results in the run).
   */
  @Override
  public void write(PostureResults results, Writer out) throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    PostureSummary summary = results.summary();
    ObjectNode root = TreeJsonText.object();
    root.put("$schema", SCHEMA_URI);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "kms-posture");
    if (documentationBase != null) {
      driver.put("informationUri", documentationBase.toString());
    }
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> index = new HashMap<>();
    for (RuleInfo r : summary.rules()) {
      index.putIfAbsent(r.id().value(), rules.size());
      rules.add(rule(r));
    }
    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", true);
    ArrayNode notifications = invocation.putArray("toolExecutionNotifications");
    for (String note : summary.notes()) {
      ObjectNode n = notifications.addObject();
      n.put("level", summary.isEmptySnapshot() ? "error" : "warning");
      n.putObject("message").put("text", note);
    }
    String uri = artifactUri(summary.source());
    ArrayNode resultNodes = run.putArray("results");
    ObjectNode props = run.putObject("properties");
    props.put("account", summary.account());
    props.put("partition", summary.partition());
    props.put("capturedAt", summary.capturedAt().toString());
    props.put("keys", summary.keyCount());
    // Both arrays are streamed, each reading the findings once: unknown results (notifications)
    // come before failures (results) in the run, but after them in report order.
    // placeholders are found by identity: the two empty arrays are equal as values.
    @SuppressWarnings("IdentityHashMapUsage")
    Map<JsonNode, Iterator<JsonNode>> fills = new IdentityHashMap<>();
    fills.put(
        notifications,
        new Filtered(
            results.findings().iterator(),
            Status.UNKNOWN,
            f -> {
              ObjectNode n = TreeJsonText.object();
              n.put("level", "warning");
              n.putObject("message").put("text", "Could not check: " + f.message());
              n.putArray("locations").addObject().set("logicalLocations", logicalLocations(f));
              ObjectNode rule = n.putObject("associatedRule");
              rule.put("id", f.ruleId().value());
              Integer i = index.get(f.ruleId().value());
              if (i != null) {
                rule.put("index", i);
              }
              return n;
            }));
    fills.put(
        resultNodes,
        new Filtered(results.findings().iterator(), Status.FAIL, f -> result(f, index, uri)));
    TreeJsonText.stream(out, root, fills);
  }

  /** The findings of one status, each made into a node when it is written. */
  private static final class Filtered implements Iterator<JsonNode> {
    private final Iterator<Finding> findings;
    private final Status status;
    private final Function<Finding, JsonNode> node;
    private @Nullable Finding next;

    Filtered(Iterator<Finding> findings, Status status, Function<Finding, JsonNode> node) {
      this.findings = findings;
      this.status = status;
      this.node = node;
      this.next = advance();
    }

    private @Nullable Finding advance() {
      while (findings.hasNext()) {
        Finding f = findings.next();
        if (f.status() == status) {
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
        throw new NoSuchElementException();
      }
      next = advance();
      return node.apply(f);
    }
  }

  /** Only failures (results) and unknown results (notifications) are written. */
  @Override
  public boolean includes(Finding finding) {
    return finding.status() == Status.FAIL || finding.status() == Status.UNKNOWN;
  }

  private ObjectNode rule(RuleInfo r) {
    ObjectNode o = TreeJsonText.object();
    o.put("id", r.id().value());
    o.put("name", r.id().value());
    o.putObject("shortDescription").put("text", r.summary());
    o.putObject("fullDescription").put("text", r.rationale());
    ObjectNode help = o.putObject("help");
    help.put("text", helpText(r));
    help.put("markdown", helpMarkdown(r));
    if (documentationBase != null) {
      o.put("helpUri", documentationBase.resolve(r.documentation()).toString());
    }
    o.putObject("defaultConfiguration").put("level", level(r.severity()));
    ObjectNode props = o.putObject("properties");
    ArrayNode tags = props.putArray("tags");
    tags.add("security");
    r.tags().forEach(tags::add);
    props.put("security-severity", securitySeverity(r.severity()));
    props.put("severity", r.severity().name());
    return o;
  }

  private static String helpText(RuleInfo r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.remediation().description()).append("\n\n");
    sb.append("AWS CLI: ").append(r.remediation().cliCommand()).append('\n');
    sb.append("SDK for Java v2: ").append(r.remediation().sdkCall()).append("\n\n");
    sb.append("Checklist: ").append(r.checklistItem()).append('\n');
    if (!r.references().isEmpty()) {
      sb.append("Equivalent checks: ").append(String.join(", ", r.references())).append('\n');
    }
    sb.append("Documentation: ").append(r.documentation());
    return sb.toString();
  }

  private static String helpMarkdown(RuleInfo r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.remediation().description()).append("\n\n");
    sb.append("```sh\n").append(r.remediation().cliCommand()).append("\n```\n\n");
    sb.append("```java\n").append(r.remediation().sdkCall()).append("\n```\n\n");
    sb.append("**Checklist:** ").append(r.checklistItem()).append("\n\n");
    if (!r.references().isEmpty()) {
      sb.append("**Equivalent checks:** ").append(String.join(", ", r.references())).append("\n\n");
    }
    sb.append("**Documentation:** `").append(r.documentation()).append('`');
    return sb.toString();
  }

  private static ObjectNode result(Finding f, Map<String, Integer> index, String uri) {
    ObjectNode o = TreeJsonText.object();
    o.put("ruleId", f.ruleId().value());
    Integer i = index.get(f.ruleId().value());
    if (i != null) {
      o.put("ruleIndex", i);
    }
    o.put("level", level(f.severity()));
    o.putObject("message").put("text", f.message());
    ObjectNode loc = o.putArray("locations").addObject();
    ObjectNode physical = loc.putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", uri);
    physical.putObject("region").put("startLine", 1);
    loc.set("logicalLocations", logicalLocations(f));
    o.putObject("partialFingerprints").put(FINGERPRINT_KEY, f.fingerprint());
    o.put("baselineState", f.disposition() == Finding.Disposition.BASELINED ? "unchanged" : "new");
    if (f.disposition() == Finding.Disposition.SUPPRESSED) {
      ObjectNode s = o.putArray("suppressions").addObject();
      s.put("kind", "external");
      s.put("status", "accepted");
      s.put("justification", f.dispositionNote() == null ? "" : f.dispositionNote());
    }
    ObjectNode props = o.putObject("properties");
    props.put("severity", f.severity().name());
    props.put("priority", f.priority().name());
    props.set("priorityReasons", TreeJsonText.strings(f.priorityReasons()));
    if (f.location() != null) {
      props.put("policyPointer", f.location().place().pointer());
      TreeJsonText.putIfPresent(props, "sid", f.location().place().sid());
    }
    TreeJsonText.putIfPresent(props, "item", f.item());
    props.put("remediation", f.remediation().cliCommand());
    return o;
  }

  private static ArrayNode logicalLocations(Finding f) {
    ArrayNode a = TreeJsonText.array();
    ObjectNode l = a.addObject();
    l.put("name", f.subject());
    l.put("fullyQualifiedName", f.keyArn() == null ? f.subject() : f.keyArn());
    l.put("kind", "resource");
    return a;
  }

  /** Returns the SARIF level of a failure of {@code severity}. */
  static String level(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "error";
      case RECOMMENDED -> "warning";
      default -> "note";
    };
  }

  /**
   * Returns GitHub's {@code security-severity} for {@code severity}: GitHub reads over 9.0 as
   * critical, 7.0–8.9 high, 4.0–6.9 medium and below as low. The checklist's CRITICAL maps to high,
   * as in the ASFF writer; a key's raised priority is a property of the result, not of the rule.
   */
  static String securitySeverity(Severity severity) {
    return switch (severity) {
      case CRITICAL -> "8.5";
      case RECOMMENDED -> "5.5";
      default -> "2.5";
    };
  }

  /** Returns the source as a relative or absolute URI reference; {@code snapshot.json} if empty. */
  static String artifactUri(String source) {
    if (source.isBlank()) {
      return DEFAULT_ARTIFACT;
    }
    StringBuilder sb = new StringBuilder();
    String s = source.replace('\\', '/');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '%' || c == '"' || c == '<' || c == '>' || c == '#' || c == '?'
          || c == '`' || c == '{' || c == '}' || c == '|' || c == '^' || c > '~') {
        for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          sb.append('%').append(String.format("%02X", b & 0xFF));
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
