package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyIssue;
import dev.kmsposture.policy.PolicyParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture validate POLICY.json}: parses a key policy strictly and reports what is wrong
 * with it.
 *
 * <ul>
 *   <li>No issues: prints the canonical policy and exits {@link ExitCode#OK}.
 *   <li>Issues that KMS accepts but that are wrong or risky: prints one line per issue, with its
 *       level, kind and JSON Pointer, and exits {@link ExitCode#FINDINGS}.
 *   <li>A document KMS would reject, or an unreadable file: prints {@code error at POINTER:
 *       PROBLEM} (or {@code error: …}) on standard error and exits {@link ExitCode#BAD_INPUT}.
 * </ul>
 *
 * <p>With {@code --format json} the result is one JSON object on standard output: {@code {"valid":
 * …, "policy": <canonical policy or null>, "issues": [{"kind", "level", "pointer", "message"}],
 * "error": {"pointer", "message"}}}, where {@code error} is present only when the document could
 * not be read or parsed.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Parse a key policy strictly and print its canonical form, or where it is wrong.",
      "Issues carry JSON Pointers such as /Statement/2/Condition."
    })
final class ValidateCommand implements Callable<Integer> {
  private static final JsonFactory JSON = new JsonFactory();

  @Spec private CommandSpec spec = CommandSpec.create();

  @ParentCommand private @Nullable KmsPosture parent;

  @Parameters(
      index = "0",
      paramLabel = "POLICY.json",
      description = "The key policy document, or - for standard input.")
  private String policyFile = InputReader.STDIN;

  @Option(
      names = "--key-arn",
      paramLabel = "ARN",
      description =
          "The ARN of the key the policy is attached to; Resource values are judged against it.")
  private @Nullable String keyArn;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
  private String format = "text";

  private final InputStream stdin;

  /** Creates the command, reading {@code -} from standard input; picocli calls this. */
  public ValidateCommand() {
    this(System.in);
  }

  /** Creates the command, reading {@code -} from {@code stdin}. */
  ValidateCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  /**
   * Validates the policy and prints the result.
   *
   * @return {@link ExitCode#OK}, {@link ExitCode#FINDINGS} or {@link ExitCode#BAD_INPUT}
   */
  @Override
  public Integer call() {
    boolean json = checkFormat();
    if (keyArn != null && Arn.tryParse(keyArn).isEmpty()) {
      throw new ParameterException(
          spec.commandLine(),
          String.format(
              "--key-arn [%s] is not an ARN; expected arn:aws:kms:REGION:ACCOUNT:key/KEY-ID",
              keyArn));
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String text;
    try {
      text = input().forKind(InputReader.POLICY_MAX_BYTES).read(policyFile);
    } catch (BadInputException e) {
      err.println("error: " + e.getMessage());
      if (json) {
        out.println(result(null, List.of(), "", e.getMessage()));
      }
      flush(out, err);
      return ExitCode.BAD_INPUT;
    }
    KeyPolicy policy;
    try {
      policy = KeyPolicy.parse(text);
    } catch (PolicyParseException e) {
      err.println("error at " + (e.pointer().isEmpty() ? "/" : e.pointer()) + ": " + e.problem());
      if (json) {
        out.println(result(null, List.of(), e.pointer(), e.problem()));
      }
      flush(out, err);
      return ExitCode.BAD_INPUT;
    }
    List<PolicyIssue> issues = keyArn == null ? policy.validate() : policy.validate(keyArn);
    if (json) {
      out.println(result(policy, issues, null, null));
    } else if (issues.isEmpty()) {
      out.print(policy.toJson());
    } else {
      for (PolicyIssue issue : issues) {
        out.println(issue);
      }
      out.printf(
          "%d issue%s in %s%n",
          issues.size(), issues.size() == 1 ? "" : "s", displayName(policyFile));
    }
    flush(out, err);
    return issues.isEmpty() ? ExitCode.OK : ExitCode.FINDINGS;
  }

  private boolean checkFormat() {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "text" -> false;
      case "json" -> true;
      default ->
          throw new ParameterException(
              spec.commandLine(),
              String.format("--format [%s] is not supported; expected text or json", format));
    };
  }

  private InputReader input() {
    return parent != null ? parent.input() : InputReader.of(stdin, InputReader.DEFAULT_MAX_BYTES);
  }

  private static String displayName(String file) {
    return file.equals(InputReader.STDIN) ? "standard input" : file;
  }

  private static void flush(PrintWriter out, PrintWriter err) {
    out.flush();
    err.flush();
  }

  /** Writes the machine-readable result; the policy is embedded in its canonical compact form. */
  private static String result(
      @Nullable KeyPolicy policy,
      List<PolicyIssue> issues,
      @Nullable String errorPointer,
      @Nullable String errorMessage) {
    StringWriter buffer = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeBooleanField("valid", policy != null && issues.isEmpty());
      g.writeFieldName("policy");
      if (policy == null) {
        g.writeNull();
      } else {
        g.writeRawValue(policy.toCompactJson());
      }
      g.writeArrayFieldStart("issues");
      for (PolicyIssue issue : issues) {
        g.writeStartObject();
        g.writeStringField("kind", issue.kind().name());
        g.writeStringField("level", issue.level().name());
        g.writeStringField("pointer", issue.pointer());
        g.writeStringField("message", issue.message());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (errorMessage != null) {
        g.writeObjectFieldStart("error");
        g.writeStringField("pointer", errorPointer == null ? "" : errorPointer);
        g.writeStringField("message", errorMessage);
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to memory", e);
    }
    return buffer.toString();
  }
}
