package dev.kmsposture.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.IdentityPolicy;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyParseException;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture evaluate}: decides requests against a key policy (and, optionally, the
 * callers' identity policies), streaming JSON lines in and JSON lines out.
 *
 * <p>Each input line is one request, {@code {"principal": …, "action": …, "resource": …, "context":
 * {key: value or [values]}, "permissionsBoundary": bool, "rolePath": "/path/"}} (only {@code
 * principal} and {@code action} are required). Each output line, in input order, is {@code
 * {"decision": …, "delegatedToIam": …, "statements": [...], "explanation": …}}, or {@code {"error":
 * "line N: …"}} for a line that cannot be read. Blank lines are skipped. Memory use does not grow
 * with the number of lines.
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
          + " decision per line."
    })
public final class EvaluateCommand implements Callable<Integer> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  @Spec private CommandSpec spec = CommandSpec.create();

  @Option(
      names = "--policy",
      required = true,
      paramLabel = "KEYPOLICY.json",
      description = "The key policy document.")
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
    KeyAccessEvaluator evaluator = evaluator();
    PrintWriter out = spec.commandLine().getOut();
    Writer writer = new BufferedWriter(out, 1 << 16);
    boolean denied = false;
    boolean bad = false;
    try (InputStream in = requests();
        JsonGenerator gen = JSON.createGenerator(writer)) {
      gen.setRootValueSeparator(null);
      gen.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
      gen.configure(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM, false);
      // Lines are split as bytes and parsed in place: no per-line decoding or String.
      byte[] buf = new byte[1 << 16];
      int start = 0;
      int end = 0;
      long number = 0;
      boolean eof = false;
      while (true) {
        int nl = -1;
        for (int i = start; i < end; i++) {
          if (buf[i] == '\n') {
            nl = i;
            break;
          }
        }
        int lineEnd;
        if (nl >= 0) {
          lineEnd = nl;
        } else if (eof) {
          if (start == end) {
            break;
          }
          lineEnd = end;
        } else {
          if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
          }
          if (end == buf.length) {
            if (buf.length >= MAX_LINE_BYTES) {
              throw new BadInputException(
                  String.format(
                      "request line %d is longer than %d bytes", number + 1, MAX_LINE_BYTES));
            }
            buf = java.util.Arrays.copyOf(buf, buf.length * 2);
          }
          int n = in.read(buf, end, buf.length - end);
          if (n < 0) {
            eof = true;
          } else {
            end += n;
          }
          continue;
        }
        number++;
        int len = lineEnd - start;
        if (len > 0 && buf[lineEnd - 1] == '\r') {
          len--;
        }
        int from = start;
        start = nl >= 0 ? nl + 1 : end;
        if (isBlank(buf, from, len)) {
          continue;
        }
        Decision decision;
        try {
          decision = evaluator.evaluate(parse(buf, from, len));
        } catch (IllegalArgumentException | IllegalStateException | JsonProcessingException e) {
          bad = true;
          gen.writeStartObject();
          gen.writeStringField("error", "line " + number + ": " + message(e));
          gen.writeEndObject();
          gen.writeRaw('\n');
          continue;
        }
        denied |= !decision.isAllowed();
        write(gen, decision);
      }
      gen.flush();
    }
    writer.flush();
    out.flush();
    return bad ? ExitCode.BAD_INPUT : denied ? ExitCode.FINDINGS : ExitCode.OK;
  }

  private static String message(Exception e) {
    if (e instanceof JsonProcessingException) {
      return "not a JSON object: " + ((JsonProcessingException) e).getOriginalMessage();
    }
    return String.valueOf(e.getMessage());
  }

  private KeyAccessEvaluator evaluator() {
    KeyPolicy policy;
    try {
      policy = KeyPolicy.parse(read(policyFile));
    } catch (PolicyParseException e) {
      throw new BadInputException(
          "key policy [" + policyFile + "] is not valid: " + e.getMessage(), e);
    }
    KeyAccessEvaluator.Builder b = KeyAccessEvaluator.builder().keyPolicy(policy);
    String arn = keyArn;
    if (arn == null && account != null) {
      if (!AccountId.isAccountId(account)) {
        throw new BadInputException(
            "account [" + account + "] is not an account id; expected 12 digits");
      }
      arn = "arn:aws:kms:*:" + account + ":key/*";
    }
    if (arn != null) {
      try {
        b.keyArn(arn);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(e.getMessage(), e);
      }
    }
    for (String entry : identityPolicies) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new BadInputException(
            "identity policy ["
                + entry
                + "] is not PRINCIPAL_ARN=FILE; e.g."
                + " arn:aws:iam::111122223333:role/App=app-policy.json");
      }
      String principal = entry.substring(0, eq);
      String file = entry.substring(eq + 1);
      String name = Path.of(file).getFileName().toString();
      try {
        b.addIdentityPolicy(principal, IdentityPolicy.parse(name, read(file)));
      } catch (PolicyParseException e) {
        throw new BadInputException(
            "identity policy [" + file + "] is not valid: " + e.getMessage(), e);
      }
    }
    return b.build();
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BadInputException("input file [" + file + "] does not exist", e);
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException(
          "input file [" + file + "] is not readable: " + e.getMessage(), e);
    }
  }

  private static boolean isBlank(byte[] buf, int from, int len) {
    for (int i = from; i < from + len; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  private InputStream requests() {
    if (requestsFile == null || requestsFile.equals(InputReader.STDIN)) {
      return new FilterInputStream(stdin) {
        @Override
        public void close() {
          // Standard input belongs to the caller.
        }
      };
    }
    try {
      return Files.newInputStream(Path.of(requestsFile));
    } catch (NoSuchFileException e) {
      throw new BadInputException("requests file [" + requestsFile + "] does not exist", e);
    } catch (IOException e) {
      throw new BadInputException(
          "requests file [" + requestsFile + "] is not readable: " + e.getMessage(), e);
    }
  }

  static AccessRequest parse(byte[] line, int offset, int length) throws IOException {
    AccessRequest.Builder b = AccessRequest.builder();
    try (JsonParser p = JSON.createParser(line, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        switch (field) {
          case "principal":
            b.principal(text(p, t, field));
            break;
          case "action":
            b.action(text(p, t, field));
            break;
          case "resource":
            b.resource(text(p, t, field));
            break;
          case "rolePath":
            b.rolePath(text(p, t, field));
            break;
          case "permissionsBoundary":
            if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
              throw new IllegalArgumentException("permissionsBoundary must be true or false");
            }
            b.permissionsBoundary(t == JsonToken.VALUE_TRUE);
            break;
          case "context":
            context(p, t, b);
            break;
          default:
            throw new IllegalArgumentException(
                "unknown field ["
                    + field
                    + "]; expected principal, action, resource, context, permissionsBoundary,"
                    + " rolePath");
        }
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("text after the JSON object");
      }
    }
    return b.build();
  }

  private static void context(JsonParser p, JsonToken t, AccessRequest.Builder b)
      throws IOException {
    if (t != JsonToken.START_OBJECT) {
      throw new IllegalArgumentException("context must be an object of keys to values");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_ARRAY) {
        List<String> values = new ArrayList<>();
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
          values.add(scalar(p, item, key));
        }
        b.putContext(key, values);
      } else {
        b.putContext(key, scalar(p, v, key));
      }
    }
  }

  private static String scalar(JsonParser p, JsonToken t, String key) throws IOException {
    if (t == JsonToken.VALUE_STRING
        || t == JsonToken.VALUE_NUMBER_INT
        || t == JsonToken.VALUE_NUMBER_FLOAT
        || t == JsonToken.VALUE_TRUE
        || t == JsonToken.VALUE_FALSE) {
      return p.getText();
    }
    throw new IllegalArgumentException(
        "context key [" + key + "] must hold a string, number, boolean or an array of them");
  }

  private static String text(JsonParser p, JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return p.getText();
  }

  private static void write(JsonGenerator gen, Decision d) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("decision", d.outcome().name());
    gen.writeBooleanField("delegatedToIam", d.delegatedToIam());
    gen.writeArrayFieldStart("statements");
    for (StatementRef s : d.statements()) {
      gen.writeStartObject();
      gen.writeStringField("source", s.source());
      gen.writeNumberField("index", s.index());
      gen.writeStringField("sid", s.sid());
      gen.writeStringField("pointer", s.pointer());
      gen.writeEndObject();
    }
    gen.writeEndArray();
    gen.writeStringField("explanation", d.explanation());
    gen.writeEndObject();
    gen.writeRaw('\n');
  }
}
