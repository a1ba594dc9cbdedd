package dev.kmsposture.cli;

import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyParseException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture evaluate}: decides requests against a key policy (and, optionally, the
 * callers' identity policies), streaming JSON lines in and JSON lines out.
 *
 * <p>Each input line is one request, {@code {"principal": …, "action": …, "resource": …, "context":
 * {key: value or [values]}, "permissionsBoundary": bool, "rolePath": "/path/"}} (only {@code
 * principal} and {@code action} are required). Each output line, in input order, is {@code {"line":
 * N, "decision": …, "delegatedToIam": …, "statements": [...], "explanation": …}}, or {@code
 * {"line": N, "error": "line N: …"}} for a line that is not a request (an error repeats at most 64
 * characters of any input value, and a line longer than {@value RequestStream#MAX_LINE_BYTES} bytes
 * is skipped unread). Blank lines are skipped; {@code N} counts every line from 1. Lines are
 * evaluated in parallel; each decision is written as soon as the ones before it are, and output is
 * flushed whenever input pauses, so a person or a co-process gets each answer at once. Memory use
 * does not grow with the number of lines.
 *
 * <p>Exit code: 0 when every request was allowed, 1 when any was denied, 2 when any line (or an
 * option) was bad input.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Decide requests against a key policy, the way AWS KMS does, and explain each decision.",
      "Reads one JSON request per line from standard input (or --requests) and writes one JSON"
          + " decision per line, in input order, each with its input line number."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Spec private CommandSpec spec = CommandSpec.create();

  @ParentCommand private @Nullable KmsPosture parent;

  @Option(
      names = "--policy",
      required = true,
      paramLabel = "KEYPOLICY.json",
      description = "The key policy document, or - for standard input (then pass --requests).")
  private String policyFile = "";

  @Option(
      names = "--identity-policy",
      paramLabel = "PRINCIPAL_ARN=FILE",
      description =
          "An identity-based policy of a principal (user, role, or role whose sessions it covers);"
              + " repeatable.")
  private List<String> identityPolicies = new ArrayList<>();

  @Option(
      names = "--account",
      paramLabel = "ID",
      description =
          "The key's account, when neither --key-arn nor a request's resource names the key (only"
              + " Resource \"*\" then matches).")
  private @Nullable String account;

  @Option(
      names = "--key-arn",
      paramLabel = "ARN",
      description = "The key's ARN, for requests that name no resource.")
  private @Nullable String keyArn;

  @Option(
      names = "--requests",
      paramLabel = "FILE",
      description = "Read requests from FILE instead of standard input.")
  private @Nullable String requestsFile;

  private final InputStream stdin;

  /** Creates the command reading standard input; picocli calls this. */
  public EvaluateCommand() {
    this(System.in);
  }

  /** Creates the command reading requests from {@code stdin} when no file is given. */
  EvaluateCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  /**
   * Evaluates every request line.
   *
   * @return 0 when all requests were allowed, 1 when any was denied, 2 when any line was bad
   */
  @Override
  public Integer call() throws IOException {
    boolean policyFromStdin = policyFile.equals(InputReader.STDIN);
    if (policyFromStdin && (requestsFile == null || requestsFile.equals(InputReader.STDIN))) {
      throw new BadInputException(
          "--policy - reads the key policy from standard input, so the requests cannot come from"
              + " there too; pass them with --requests FILE");
    }
    KeyAccessEvaluator evaluator = evaluator();
    RequestStream.Counts counts;
    RequestStream stream =
        new RequestStream(evaluator, keyArn != null || account != null, workers());
    try (InputStream in = requests()) {
      Optional<OutputStream> bytes = StandardOutput.bytesOf(spec.commandLine().getOut());
      if (bytes.isPresent()) {
        spec.commandLine().getOut().flush();
        counts = stream.run(in, bytes.get());
      } else {
        counts = stream.run(in, spec.commandLine().getOut());
      }
    }
    return counts.bad() > 0
        ? ExitCode.BAD_INPUT
        : counts.denied() > 0 ? ExitCode.FINDINGS : ExitCode.OK;
  }

  // One worker per processor: the reader and the writer mostly wait on I/O.
  private static int workers() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private InputReader input() {
    return parent != null ? parent.input() : InputReader.of(stdin, InputReader.DEFAULT_MAX_BYTES);
  }

  private KeyAccessEvaluator evaluator() {
    // Key and identity policies are read with the policy limit (1 MiB; KMS accepts 32 KB key
    // policies, IAM 6,144-character managed policies): a file that could never be one is refused
    // before any work is done on it.
    InputReader input = input().forKind(InputReader.POLICY_MAX_BYTES);
    KeyPolicy policy;
    try {
      policy = KeyPolicy.parse(input.read(policyFile));
    } catch (PolicyParseException e) {
      throw new BadInputException(
          "key policy [" + policyFile + "] is not valid: " + e.getMessage(), e);
    }
    KeyAccessEvaluator.Builder b = KeyAccessEvaluator.builder().keyPolicy(policy);
    String arn = keyArn;
    if (arn == null && account != null) {
      if (!AccountId.isAccountId(account)) {
        throw new BadInputException(
            "--account [" + account + "] is not an account id; expected 12 digits");
      }
      arn = "arn:aws:kms:*:" + account + ":key/*";
    }
    if (arn != null) {
      try {
        b.keyArn(arn);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--key-arn: " + e.getMessage(), e);
      }
    }
    for (String entry : identityPolicies) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new BadInputException(
            "--identity-policy ["
                + entry
                + "] is not PRINCIPAL_ARN=FILE; e.g."
                + " arn:aws:iam::111122223333:role/App=app-policy.json");
      }
      String principal = entry.substring(0, eq);
      String file = entry.substring(eq + 1);
      Path fileName = fileName(file);
      String name = fileName == null ? file : fileName.toString();
      try {
        b.addIdentityPolicy(principal, IdentityPolicy.parse(name, input.read(file)));
      } catch (PolicyParseException e) {
        throw new BadInputException(
            "identity policy [" + file + "] is not valid: " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--identity-policy [" + entry + "]: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static @Nullable Path fileName(String file) {
    try {
      return Path.of(file).getFileName();
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private InputStream requests() {
    if (requestsFile == null || requestsFile.equals(InputReader.STDIN)) {
      return new FilterInputStream(parent != null ? parent.stdin() : stdin) {
        @Override
        public void close() {
          // Standard input belongs to the caller.
        }
      };
    }
    String what = "requests file [" + requestsFile + "]";
    Path path;
    try {
      path = Path.of(requestsFile);
    } catch (InvalidPathException e) {
      throw new BadInputException(what + " is not a valid path: " + e.getReason(), e);
    }
    if (Files.isDirectory(path)) {
      throw new BadInputException(what + " is a directory; expected a file of request lines");
    }
    try {
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new BadInputException(what + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new BadInputException(what + " is not readable: permission denied", e);
    } catch (IOException e) {
      throw new BadInputException(what + " is not readable: " + e.getMessage(), e);
    }
  }
}
