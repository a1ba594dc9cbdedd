package dev.kmsposture.examples;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyIssue;
import dev.kmsposture.policy.PolicyParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Example: read a key policy strictly, and list what KMS would reject or what is risky.
 *
 * <p>Run with a policy file: {@code java dev.kmsposture.examples.ValidateKeyPolicy policy.json}.
 */
public final class ValidateKeyPolicy {
  private ValidateKeyPolicy() {}

  /**
   * Returns one line per problem in {@code json}: the parse error (with its JSON Pointer) when KMS
   * would reject the document, otherwise each validation issue. An empty list means the policy is
   * clean.
   */
  public static List<String> problems(String json) {
    KeyPolicy policy;
    try {
      policy = KeyPolicy.parse(json);
    } catch (PolicyParseException e) {
      return List.of("rejected at " + e.pointer() + ": " + e.problem());
    }
    List<String> out = new ArrayList<>();
    for (PolicyIssue issue : policy.validate()) {
      out.add(issue.level() + " at " + issue.pointer() + ": " + issue.message());
    }
    return out;
  }

  /**
   * Validates the policy file named by the first argument and prints the problems.
   *
   * @param args the policy file
   * @throws IOException if the file cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ValidateKeyPolicy POLICY.json");
      System.exit(2);
    }
    List<String> problems = problems(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
    problems.forEach(System.out::println);
    System.exit(problems.isEmpty() ? 0 : 1);
  }
}
