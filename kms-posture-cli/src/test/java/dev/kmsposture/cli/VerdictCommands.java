package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the commands that judge a policy in-process, as the verdict tests compare them: a command
 * line with its exit code and output, {@code evaluate} on request lines with its decisions parsed,
 * and whether a decision lets the caller in.
 */
final class VerdictCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VerdictCommands() {}

  /** A command's exit code, standard output and standard error. */
  record Run(int code, String out, String err) {}

  /** Runs {@code cl} with {@code args}, capturing what it prints. */
  static Run run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Returns one request line for {@code evaluate}: the principal, the action and the context. */
  static String request(String principal, String action, Map<String, String> context)
      throws JsonProcessingException {
    ObjectNode line = JSON.createObjectNode();
    line.put("principal", principal);
    line.put("action", action);
    if (!context.isEmpty()) {
      ObjectNode c = line.putObject("context");
      context.forEach(c::put);
    }
    return JSON.writeValueAsString(line);
  }

  /**
   * Runs {@code evaluate --policy FILE --key-arn keyArn} on {@code requests} (one JSON line each),
   * the policy written to {@code dir}, and returns one decision per request, in order.
   */
  static List<JsonNode> evaluate(Path dir, String keyArn, String policy, List<String> requests)
      throws IOException {
    Path file = dir.resolve("policy.json");
    Files.writeString(file, policy);
    StringBuilder lines = new StringBuilder();
    for (String r : requests) {
      lines.append(r).append('\n');
    }
    EvaluateCommand command =
        new EvaluateCommand(
            new ByteArrayInputStream(lines.toString().getBytes(StandardCharsets.UTF_8)));
    Run run = run(new CommandLine(command), "--policy", file.toString(), "--key-arn", keyArn);
    List<JsonNode> out = new ArrayList<>();
    for (String line : run.out().split("\n", -1)) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    assertThat(out).as(run.err()).hasSize(requests.size());
    return out;
  }

  /**
   * Returns whether a decision of {@code evaluate} lets the caller in: allowed, or left to its IAM
   * policies (implicitly denied by the key policy, which delegates to IAM).
   */
  static boolean getsIn(JsonNode decision) {
    String d = decision.get("decision").asText();
    return d.equals("ALLOWED")
        || (d.equals("IMPLICITLY_DENIED") && decision.get("delegatedToIam").asBoolean());
  }
}
