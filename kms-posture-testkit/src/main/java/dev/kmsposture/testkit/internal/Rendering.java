package dev.kmsposture.testkit.internal;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.StringJoiner;

/**
 * How failure messages show kms-posture values: compact JSON for policies and statements, one line
 * for a request, a decision or a finding, and statements by index, Sid and JSON Pointer. Every
 * multi-line value is indented by two spaces, as AssertJ indents actual and expected values.
 */
public final class Rendering {
  /** The indentation of values under their heading. */
  public static final String INDENT = "  ";

  /** The line separator, as AssertJ's {@code %n}. */
  public static final String NL = System.lineSeparator();

  private Rendering() {}

  /** A policy as compact canonical JSON. */
  public static String policy(KeyPolicy policy) {
    return policy.toCompactJson();
  }

  /** A statement as compact canonical JSON. */
  public static String statement(Statement statement) {
    return statement.toString();
  }

  /**
   * A request: {@code arn:…:role/App calling kms:Decrypt on arn:…:key/… with context
   * {kms:ViaService=[…]}}.
   */
  public static String request(AccessRequest request) {
    StringBuilder b =
        new StringBuilder(request.principal())
            .append(" calling ")
            .append(request.action().name())
            .append(" on ")
            .append(request.resource().orElse("the key"));
    if (request.context().isEmpty()) {
      b.append(" with no request context");
    } else {
      b.append(" with context ").append(context(request.context()));
    }
    if (request.hasPermissionsBoundary()) {
      b.append(" (the caller has a permissions boundary)");
    }
    return b.toString();
  }

  /** A request context as {@code {key=[v1, v2], …}}, keys as given. */
  public static String context(Map<String, List<String>> context) {
    StringJoiner j = new StringJoiner(", ", "{", "}");
    context.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  /** How a decision came out, as a phrase: {@code allowed}, {@code explicitly denied}, … */
  public static String outcome(Decision decision) {
    return switch (decision.outcome()) {
      case ALLOWED -> "allowed";
      case EXPLICITLY_DENIED -> "explicitly denied";
      case IMPLICITLY_DENIED ->
          decision.delegatedToIam() ? "left to the caller's IAM policies" : "implicitly denied";
    };
  }

  /**
   * The statements that decided a request, each as {@code statement #1 [Sid] (/Statement/1):}
   * followed by its JSON on the next line; for an implicit denial, the nearest miss.
   */
  public static String decidingStatements(Decision decision, KeyPolicy policy) {
    if (decision.statements().isEmpty()) {
      return "no statement applies";
    }
    StringBuilder b = new StringBuilder();
    String role =
        decision.outcome() != Decision.Outcome.IMPLICITLY_DENIED
            ? "decided by "
            : decision.delegatedToIam()
                ? "the key policy delegates to the account's IAM through "
                : "the nearest miss is ";
    for (int i = 0; i < decision.statements().size(); i++) {
      StatementRef ref = decision.statements().get(i);
      if (i > 0) {
        b.append(NL);
      }
      b.append(i == 0 ? role : "and ").append(ref.describe());
      OptionalInt at = ref.keyPolicyIndex();
      if (at.isPresent() && at.getAsInt() < policy.statements().size()) {
        b.append(":")
            .append(NL)
            .append(INDENT)
            .append(statement(policy.statements().get(at.getAsInt())));
      }
    }
    return b.toString();
  }

  /** A finding on one line: {@code CRITICAL KeyPolicyPublic at statement #1 [X] (/…): message}. */
  public static String finding(Finding f) {
    return f.severity()
        + " "
        + f.ruleId()
        + (f.location() == null ? "" : " at " + f.location())
        + ": "
        + f.message();
  }

  /** A failure in a report on one line: {@code CRITICAL KeyPolicyPublic on alias: message}. */
  public static String failure(Finding f) {
    return f.severity() + " " + f.ruleId() + " on " + f.subject() + ": " + f.message();
  }

  /** Each line indented by {@link #INDENT}, joined by line separators. */
  public static String lines(List<String> lines) {
    StringJoiner j = new StringJoiner(NL);
    for (String line : lines) {
      j.add(INDENT + line);
    }
    return j.toString();
  }

  /** A report on one line: its account, how many keys and findings. */
  public static String report(PostureReport report) {
    return "account "
        + report.account()
        + ", "
        + report.keyCount()
        + (report.keyCount() == 1 ? " key, " : " keys, ")
        + report.findings().size()
        + (report.findings().size() == 1 ? " finding, " : " findings, ")
        + report.activeFailures().size()
        + (report.activeFailures().size() == 1 ? " active failure" : " active failures");
  }
}
