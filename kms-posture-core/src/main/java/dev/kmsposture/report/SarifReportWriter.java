package dev.kmsposture.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a report as a SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF
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
public final class SarifReportWriter implements ReportWriter {
  /** The {@code $schema} this writer declares. */
  public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

  /** The key under {@code partialFingerprints} that holds {@link Finding#fingerprint()}. */
  public static final String FINGERPRINT_KEY = "kmsPosture/v1";

  /** The artifact named when the report has no source file. */
  public static final String DEFAULT_ARTIFACT = "snapshot.json";

  // Member names of a result, ready-quoted.
  private static final SerializedString F_ARTIFACT_LOCATION =
      new SerializedString("artifactLocation");
  private static final SerializedString F_FULLY_QUALIFIED_NAME =
      new SerializedString("fullyQualifiedName");
  private static final SerializedString F_JUSTIFICATION = new SerializedString("justification");
  private static final SerializedString F_KIND = new SerializedString("kind");
  private static final SerializedString F_LEVEL = new SerializedString("level");
  private static final SerializedString F_LOCATIONS = new SerializedString("locations");
  private static final SerializedString F_LOGICAL_LOCATIONS =
      new SerializedString("logicalLocations");
  private static final SerializedString F_MESSAGE = new SerializedString("message");
  private static final SerializedString F_NAME = new SerializedString("name");
  private static final SerializedString F_PARTIAL_FINGERPRINTS =
      new SerializedString("partialFingerprints");
  private static final SerializedString F_PHYSICAL_LOCATION =
      new SerializedString("physicalLocation");
  private static final SerializedString F_POLICY_POINTER = new SerializedString("policyPointer");
  private static final SerializedString F_PRIORITY = new SerializedString("priority");
  private static final SerializedString F_PROPERTIES = new SerializedString("properties");
  private static final SerializedString F_REGION = new SerializedString("region");
  private static final SerializedString F_REMEDIATION = new SerializedString("remediation");
  private static final SerializedString F_RULE_ID = new SerializedString("ruleId");
  private static final SerializedString F_RULE_INDEX = new SerializedString("ruleIndex");
  private static final SerializedString F_SEVERITY = new SerializedString("severity");
  private static final SerializedString F_START_LINE = new SerializedString("startLine");
  private static final SerializedString F_STATUS = new SerializedString("status");
  private static final SerializedString F_SUPPRESSIONS = new SerializedString("suppressions");
  private static final SerializedString F_TEXT = new SerializedString("text");
  private static final SerializedString F_URI = new SerializedString("uri");
  private static final SerializedString F_BASELINE_STATE = new SerializedString("baselineState");
  private static final SerializedString F_FINGERPRINT_KEY = new SerializedString(FINGERPRINT_KEY);
  private static final SerializedString F_PRIORITY_REASONS =
      new SerializedString("priorityReasons");
  private static final SerializedString F_SID = new SerializedString("sid");
  private static final SerializedString F_ITEM = new SerializedString("item");

  // Values a result repeats, ready-quoted.
  private static final SerializedString V_UNCHANGED = JsonText.constant("unchanged");
  private static final SerializedString V_NEW = JsonText.constant("new");
  private static final SerializedString V_EXTERNAL = JsonText.constant("external");
  private static final SerializedString V_ACCEPTED = JsonText.constant("accepted");
  private static final SerializedString V_RESOURCE = JsonText.constant("resource");
  private static final Map<Severity, SerializedString> V_LEVELS = new EnumMap<>(Severity.class);
  private static final Map<Severity, SerializedString> V_SEVERITIES = new EnumMap<>(Severity.class);
  private static final Map<Finding.Priority, SerializedString> V_PRIORITIES =
      new EnumMap<>(Finding.Priority.class);

  static {
    for (Severity s : Severity.values()) {
      V_LEVELS.put(s, JsonText.constant(level(s)));
      V_SEVERITIES.put(s, JsonText.constant(s.name()));
    }
    for (Finding.Priority p : Finding.Priority.values()) {
      V_PRIORITIES.put(p, JsonText.constant(p.name()));
    }
  }

  // The ready-quoted value of every constant of an enum.
  private static <E extends Enum<E>> SerializedString quoted(
      Map<E, SerializedString> values, E constant) {
    return Objects.requireNonNull(values.get(constant));
  }

  /** A rule as a result names it: its id ready-quoted and its index in the run's rules. */
  private record RuleRef(String id, @Nullable SerializedString quoted, int index) {
    void writeId(JsonGenerator g) throws IOException {
      if (quoted != null) {
        JsonText.string(g, F_RULE_ID, quoted);
      } else {
        JsonText.string(g, F_RULE_ID, id);
      }
    }
  }

  /** The artifact's URI, ready-quoted when it is plain ASCII. */
  private record UriValue(String uri, @Nullable SerializedString quoted) {
    void write(JsonGenerator g) throws IOException {
      if (quoted != null) {
        JsonText.string(g, F_URI, quoted);
      } else {
        JsonText.string(g, F_URI, uri);
      }
    }
  }

  private final @Nullable URI documentationBase;

  /**
   * Creates a writer that names rule documentation by its repository path ({@code
   * docs/rules/<Id>.md}) in the help text only.
   */
  public SarifReportWriter() {
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
  public SarifReportWriter(URI documentationBase) {
    this.documentationBase = DocumentationBase.checked(documentationBase);
  }

  @Override
  public String write(PostureReport report) {
    return JsonText.text(out -> write(report, out));
  }

  /**
   * Streams the run: the unknown results (notifications) and then the failures (results), each
   * written as it is read, reading the findings twice (notifications come before results in the
   * run, but after them in report order): the unknown ones with {@link
   * PostureResults#findings(Status)}, then all.
   */
  @Override
  public void write(PostureResults results, Writer out) throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    JsonText.document(out, body(results));
  }

  /**
   * Prints the same run straight to UTF-8 bytes; the results (and the notifications) are printed a
   * chunk at a time on threads of their own.
   */
  @Override
  public void write(PostureResults results, OutputStream out, CodingErrorAction malformed)
      throws IOException {
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(malformed, "malformed");
    JsonText.document(out, malformed, body(results));
  }

  /** The run: reads the summary now, the findings when it is printed. */
  JsonText.Body body(PostureResults results) {
    PostureSummary summary = results.summary();
    List<RuleInfo> rules = summary.rules();
    Map<String, Integer> index = new HashMap<>();
    Map<String, RuleRef> refs = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      String id = rules.get(i).id().value();
      index.putIfAbsent(id, i);
      refs.putIfAbsent(id, new RuleRef(id, JsonText.plain(id), i));
    }
    String uri = artifactUri(summary.source());
    SerializedString quotedUri = JsonText.plain(uri);
    UriValue uriValue = new UriValue(uri, quotedUri);
    return (g, elements) -> {
      g.writeStartObject();
      g.writeStringField("$schema", SCHEMA_URI);
      g.writeStringField("version", "2.1.0");
      g.writeArrayFieldStart("runs");
      g.writeStartObject();
      g.writeObjectFieldStart("tool");
      g.writeObjectFieldStart("driver");
      g.writeStringField("name", "kms-posture");
      if (documentationBase != null) {
        g.writeStringField("informationUri", documentationBase.toString());
      }
      g.writeArrayFieldStart("rules");
      for (RuleInfo r : rules) {
        rule(g, r);
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndObject();
      g.writeArrayFieldStart("invocations");
      g.writeStartObject();
      g.writeBooleanField("executionSuccessful", true);
      g.writeArrayFieldStart("toolExecutionNotifications");
      for (String note : summary.notes()) {
        g.writeStartObject();
        g.writeStringField("level", summary.isEmptySnapshot() ? "error" : "warning");
        g.writeObjectFieldStart("message");
        g.writeStringField("text", note);
        g.writeEndObject();
        g.writeEndObject();
      }
      elements.write(
          g, results.findings(Status.UNKNOWN), f -> true, (x, f) -> notification(x, f, index));
      g.writeEndArray();
      g.writeEndObject();
      g.writeEndArray();
      g.writeArrayFieldStart("results");
      elements.write(
          g,
          results.findings(),
          f -> f.status() == Status.FAIL,
          (x, f) -> result(x, f, refs, uriValue));
      g.writeEndArray();
      g.writeObjectFieldStart("properties");
      g.writeStringField("account", summary.account());
      g.writeStringField("partition", summary.partition());
      g.writeStringField("capturedAt", summary.capturedAt().toString());
      g.writeNumberField("keys", summary.keyCount());
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    };
  }

  /** Only failures (results) and unknown results (notifications) are written. */
  @Override
  public boolean includes(Finding finding) {
    return finding.status() == Status.FAIL || finding.status() == Status.UNKNOWN;
  }

  private void rule(JsonGenerator g, RuleInfo r) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", r.id().value());
    g.writeStringField("name", r.id().value());
    g.writeObjectFieldStart("shortDescription");
    g.writeStringField("text", r.summary());
    g.writeEndObject();
    g.writeObjectFieldStart("fullDescription");
    g.writeStringField("text", r.rationale());
    g.writeEndObject();
    g.writeObjectFieldStart("help");
    g.writeStringField("text", helpText(r));
    g.writeStringField("markdown", helpMarkdown(r));
    g.writeEndObject();
    if (documentationBase != null) {
      g.writeStringField("helpUri", documentationBase.resolve(r.documentation()).toString());
    }
    g.writeObjectFieldStart("defaultConfiguration");
    g.writeStringField("level", level(r.severity()));
    g.writeEndObject();
    g.writeObjectFieldStart("properties");
    g.writeArrayFieldStart("tags");
    g.writeString("security");
    for (String tag : r.tags()) {
      g.writeString(tag);
    }
    g.writeEndArray();
    g.writeStringField("security-severity", securitySeverity(r.severity()));
    g.writeStringField("severity", r.severity().name());
    g.writeEndObject();
    g.writeEndObject();
  }

  /** An unknown result: a notification that names the key and the rule. */
  private static void notification(JsonGenerator g, Finding f, Map<String, Integer> index)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("level", "warning");
    g.writeObjectFieldStart("message");
    g.writeStringField("text", "Could not check: " + f.message());
    g.writeEndObject();
    g.writeArrayFieldStart("locations");
    g.writeStartObject();
    logicalLocations(g, f);
    g.writeEndObject();
    g.writeEndArray();
    g.writeObjectFieldStart("associatedRule");
    g.writeStringField("id", f.ruleId().value());
    Integer i = index.get(f.ruleId().value());
    if (i != null) {
      g.writeNumberField("index", i);
    }
    g.writeEndObject();
    g.writeEndObject();
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

  private static void result(JsonGenerator g, Finding f, Map<String, RuleRef> refs, UriValue uri)
      throws IOException {
    g.writeStartObject();
    String ruleId = f.ruleId().value();
    RuleRef rule = refs.get(ruleId);
    if (rule != null) {
      rule.writeId(g);
      g.writeFieldName(F_RULE_INDEX);
      g.writeNumber(rule.index());
    } else {
      JsonText.string(g, F_RULE_ID, ruleId);
    }
    JsonText.string(g, F_LEVEL, quoted(V_LEVELS, f.severity()));
    g.writeFieldName(F_MESSAGE);
    g.writeStartObject();
    JsonText.string(g, F_TEXT, f.message());
    g.writeEndObject();
    g.writeFieldName(F_LOCATIONS);
    g.writeStartArray();
    g.writeStartObject();
    g.writeFieldName(F_PHYSICAL_LOCATION);
    g.writeStartObject();
    g.writeFieldName(F_ARTIFACT_LOCATION);
    g.writeStartObject();
    uri.write(g);
    g.writeEndObject();
    g.writeFieldName(F_REGION);
    g.writeStartObject();
    g.writeFieldName(F_START_LINE);
    g.writeNumber(1);
    g.writeEndObject();
    g.writeEndObject();
    logicalLocations(g, f);
    g.writeEndObject();
    g.writeEndArray();
    g.writeFieldName(F_PARTIAL_FINGERPRINTS);
    g.writeStartObject();
    JsonText.string(g, F_FINGERPRINT_KEY, f.fingerprint());
    g.writeEndObject();
    JsonText.string(
        g,
        F_BASELINE_STATE,
        f.disposition() == Finding.Disposition.BASELINED ? V_UNCHANGED : V_NEW);
    if (f.disposition() == Finding.Disposition.SUPPRESSED) {
      g.writeFieldName(F_SUPPRESSIONS);
      g.writeStartArray();
      g.writeStartObject();
      JsonText.string(g, F_KIND, V_EXTERNAL);
      JsonText.string(g, F_STATUS, V_ACCEPTED);
      String note = f.dispositionNote();
      JsonText.string(g, F_JUSTIFICATION, note == null ? "" : note);
      g.writeEndObject();
      g.writeEndArray();
    }
    g.writeFieldName(F_PROPERTIES);
    g.writeStartObject();
    JsonText.string(g, F_SEVERITY, quoted(V_SEVERITIES, f.severity()));
    JsonText.string(g, F_PRIORITY, quoted(V_PRIORITIES, f.priority()));
    JsonText.strings(g, F_PRIORITY_REASONS, f.priorityReasons());
    PolicyLocation location = f.location();
    if (location != null) {
      JsonText.string(g, F_POLICY_POINTER, location.place().pointer());
      JsonText.stringIfPresent(g, F_SID, location.place().sid());
    }
    JsonText.stringIfPresent(g, F_ITEM, f.item());
    JsonText.string(g, F_REMEDIATION, f.remediation().cliCommand());
    g.writeEndObject();
    g.writeEndObject();
  }

  /** The member {@code logicalLocations}: the key, as a resource. */
  private static void logicalLocations(JsonGenerator g, Finding f) throws IOException {
    g.writeFieldName(F_LOGICAL_LOCATIONS);
    g.writeStartArray();
    g.writeStartObject();
    JsonText.string(g, F_NAME, f.subject());
    String keyArn = f.keyArn();
    JsonText.string(g, F_FULLY_QUALIFIED_NAME, keyArn == null ? f.subject() : keyArn);
    JsonText.string(g, F_KIND, V_RESOURCE);
    g.writeEndObject();
    g.writeEndArray();
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
