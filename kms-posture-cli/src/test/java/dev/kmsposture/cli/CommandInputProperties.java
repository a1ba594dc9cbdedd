package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.QuickTheory.qt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Fuzzes every command input — snapshots, configurations, baselines, role files, key policies,
 * request lines — with random and mutated documents (seeded: a failure names the seed that
 * reproduces it), and asserts what a user may rely on: exit 0, 1 or 2 only; bad input is one line
 * that says where (a JSON Pointer, a line, a byte); no raw exception text; every run ends in
 * bounded time.
 */
class CommandInputProperties {
  /** What must never reach a user: Java exceptions, types and stack frames, Jackson internals. */
  static final Pattern RAW =
      Pattern.compile(
          "Exception|java\\.|\\tat |com\\.fasterxml|FAIL_ON_|Source:|JsonToken|`java"
              + "|StreamReadConstraints|DeserializationFeature|@[0-9a-f]{6,}");

  /** Where an error points: a JSON Pointer, a line, a byte offset, or the whole document. */
  static final Pattern LOCATION =
      Pattern.compile("at \\[?/|at /|error at /|line \\d+|byte \\d+|the document|must hold one");

  private static final List<String> TOKENS =
      List.of(
          "\"",
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          "null",
          "true",
          "false",
          "-0",
          "1e400",
          "123456789012345678901234567890",
          "\"*\"",
          "\"${aws:username\"",
          "\"999.1.1.1/33\"",
          "\"yesterday\"",
          "\"NaN\"",
          "\u00e9",
          "\uD83D\uDE00",
          "\"\\u0000\"",
          "\t",
          "\n",
          "[[[[[[[[[[",
          "{\"a\":",
          "\"2026-13-45T99:99:99Z\"",
          "\"arn:aws:iam::*:root\"",
          "\"AWS\"",
          "\"Principal\"",
          "\"Statement\"",
          "\"keys\"",
          "\"schemaVersion\"",
          "{}",
          "[]",
          "\"\"",
          "- ",
          "&a ",
          "*a",
          "!!binary ",
          "---\n");

  private static final List<String> NAMES =
      List.of(
          "schemaVersion",
          "account",
          "partition",
          "keys",
          "arn",
          "keyId",
          "region",
          "metadata",
          "keyState",
          "policy",
          "rotation",
          "enabled",
          "grants",
          "aliases",
          "tags",
          "capturedAt",
          "Version",
          "Statement",
          "Effect",
          "Principal",
          "Action",
          "Resource",
          "Condition",
          "Sid",
          "users",
          "administrators",
          "serviceUsers",
          "breakGlass",
          "suppressions",
          "ruleId",
          "reason",
          "unusedDays",
          "requiredTags",
          "trustedAccounts",
          "expires");

  @TempDir Path dir;

  /** The outcome of one run. */
  record Outcome(int code, String out, String err) {}

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        KmsPosture.run(
            args,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(new byte[0]),
            new HashMap<String, String>()::get);
    return new Outcome(code, out.toString(), err.toString());
  }

  /** Asserts the contract every command keeps on any input. */
  static void assertSane(Outcome o, String what) {
    assertThat(o.code()).as("exit code for %s; stderr: %s", what, o.err()).isBetween(0, 2);
    assertThat(RAW.matcher(o.err()).find())
        .as("raw exception text for %s: %s", what, o.err())
        .isFalse();
    if (o.code() == ExitCode.BAD_INPUT) {
      assertThat(o.err()).as(what).startsWith("error");
      assertThat(o.err().strip()).as("one line for %s", what).doesNotContain("\n");
      assertThat(LOCATION.matcher(o.err()).find())
          .as("location in the error for %s: %s", what, o.err())
          .isTrue();
    }
  }

  /** Applies one to four random edits to {@code text}. */
  static String mutate(String text, SplittableRandom r) {
    StringBuilder sb = new StringBuilder(text);
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = sb.length() == 0 ? 0 : r.nextInt(sb.length());
      switch (r.nextInt(7)) {
        case 0 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(20)));
        case 1 -> sb.insert(at, TOKENS.get(r.nextInt(TOKENS.size())));
        case 2 -> {
          // replace the value after a colon with a token
          int colon = sb.indexOf(":", at);
          if (colon >= 0) {
            int end = colon + 1;
            while (end < sb.length() && ",}]\n".indexOf(sb.charAt(end)) < 0) {
              end++;
            }
            sb.replace(colon + 1, end, " " + TOKENS.get(r.nextInt(TOKENS.size())));
          }
        }
        case 3 -> {
          int lineStart = sb.lastIndexOf("\n", at) + 1;
          int lineEnd = sb.indexOf("\n", at);
          if (lineEnd > lineStart) {
            sb.insert(lineEnd, sb.substring(lineStart - (lineStart > 0 ? 1 : 0), lineEnd));
          }
        }
        case 4 -> sb.setLength(at);
        case 5 -> {
          if (sb.length() > 0) {
            sb.setCharAt(at, (char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0x3000)));
          }
        }
        default -> {
          // rename a field
          int quote = sb.indexOf("\"", at);
          int close = quote < 0 ? -1 : sb.indexOf("\"", quote + 1);
          if (close > quote) {
            sb.replace(quote + 1, close, NAMES.get(r.nextInt(NAMES.size())));
          }
        }
      }
    }
    return sb.toString();
  }

  /** A random JSON document whose names come from the inputs' vocabularies. */
  static String randomJson(SplittableRandom r, int depth) {
    int kind = depth > 4 ? 3 + r.nextInt(5) : r.nextInt(8);
    return switch (kind) {
      case 0, 1 -> {
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
          sb.append(i == 0 ? "" : ",")
              .append('"')
              .append(NAMES.get(r.nextInt(NAMES.size())))
              .append("\":")
              .append(randomJson(r, depth + 1));
        }
        yield sb.append('}').toString();
      }
      case 2 -> {
        StringBuilder sb = new StringBuilder("[");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
          sb.append(i == 0 ? "" : ",").append(randomJson(r, depth + 1));
        }
        yield sb.append(']').toString();
      }
      case 3 -> "\"" + NAMES.get(r.nextInt(NAMES.size())) + "\"";
      case 4 -> Long.toString(r.nextLong());
      case 5 -> r.nextBoolean() ? "true" : "false";
      case 6 -> "null";
      default -> "\"arn:aws:iam::111122223333:role/R" + r.nextInt(10) + "\"";
    };
  }

  private static Gen<Long> seeds() {
    return Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  /** A document from {@code seed}: mostly a mutated {@code valid}, sometimes random JSON. */
  private static String document(long seed, String valid) {
    SplittableRandom r = new SplittableRandom(seed);
    return r.nextInt(5) == 0 ? randomJson(r, 0) : mutate(valid, r);
  }

  private static String demoSnapshot() {
    return DemoReport.snapshot().toJson();
  }

  private static final String CONFIG =
      """
      requiredTags: [Owner, Environment]
      unusedDays: 60
      trustedAccounts: ["444455556666"]
      productionTags:
        Environment: [prod]
      suppressions:
        - ruleId: RotationDisabled
          keyPattern: alias/legacy-*
          reason: ADR-1
          expires: 2027-01-31
      """;

  private static final String ROLES =
      "{\n"
          + "  \"account\": \"111122223333\",\n"
          + "  \"administrators\": [\"arn:aws:iam::111122223333:role/KeyAdmin\"],\n"
          + "  \"users\": [\"arn:aws:iam::111122223333:role/Batch\"],\n"
          + "  \"serviceUsers\": [{\"principals\": [\"arn:aws:iam::111122223333:role/App\"],"
          + " \"services\": [\"s3\"], \"regions\": [\"us-east-1\"]}],\n"
          + "  \"auditors\": [\"arn:aws:iam::111122223333:role/Audit\"],\n"
          + "  \"crossAccount\": [\"444455556666\"],\n"
          + "  \"breakGlass\": \"none\",\n"
          + "  \"caller\": \"arn:aws:iam::111122223333:role/KeyAdmin\"\n"
          + "}\n";

  private static final String POLICY =
      "{\n"
          + "  \"Version\": \"2012-10-17\",\n"
          + "  \"Statement\": [\n"
          + "    {\"Sid\": \"Admins\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/KeyAdmin\"}, \"Action\": [\"kms:PutKeyPolicy\","
          + " \"kms:DescribeKey\"], \"Resource\": \"*\"},\n"
          + "    {\"Sid\": \"Use\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
          + " \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\":"
          + " {\"kms:CallerAccount\": \"111122223333\", \"kms:ViaService\":"
          + " \"s3.us-east-1.amazonaws.com\"}, \"IpAddress\": {\"aws:SourceIp\":"
          + " [\"203.0.113.0/24\"]}, \"DateLessThan\": {\"aws:CurrentTime\": \"2027-01-01\"}}},\n"
          + "    {\"Sid\": \"Deny\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
          + " \"kms:ScheduleKeyDeletion\", \"Resource\": \"*\", \"Condition\": {\"NumericLessThan\":"
          + " {\"kms:ScheduleKeyDeletionPendingWindowInDays\": \"30\"}}}\n"
          + "  ]\n"
          + "}\n";

  @Test
  void check_randomAndMutatedSnapshots_exitCleanly() {
    String valid = demoSnapshot();
    AtomicInteger bad = new AtomicInteger();
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () ->
            qt().withFixedSeed(14_001L)
                .withExamples(250)
                .forAll(seeds())
                .checkAssert(
                    seed -> {
                      Path f = fileOrFail("snapshot.json", document(seed, valid));
                      Outcome o = run("check", f.toString(), "--format", "json");
                      assertSane(o, "snapshot seed " + seed);
                      if (o.code() == ExitCode.BAD_INPUT) {
                        bad.incrementAndGet();
                      }
                    }));
    // The fuzzing reached the error paths, not only documents that still parse.
    assertThat(bad.get()).isGreaterThan(50);
  }

  @Test
  void check_randomAndMutatedConfigs_exitCleanly() throws IOException {
    Path snapshot = file("demo.json", demoSnapshot());
    AtomicInteger bad = new AtomicInteger();
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () ->
            qt().withFixedSeed(14_002L)
                .withExamples(120)
                .forAll(seeds())
                .checkAssert(
                    seed -> {
                      Path f = fileOrFail("config.yaml", document(seed, CONFIG));
                      Outcome o = run("check", snapshot.toString(), "--config", f.toString());
                      assertSane(o, "config seed " + seed);
                      if (o.code() == ExitCode.BAD_INPUT) {
                        bad.incrementAndGet();
                      }
                    }));
    assertThat(bad.get()).isGreaterThan(20);
  }

  @Test
  void policy_randomAndMutatedRoleFiles_exitCleanly() {
    AtomicInteger bad = new AtomicInteger();
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () ->
            qt().withFixedSeed(14_003L)
                .withExamples(300)
                .forAll(seeds())
                .checkAssert(
                    seed -> {
                      String name = seed % 3 == 0 ? "roles.yaml" : "roles.json";
                      Path f = fileOrFail(name, document(seed, ROLES));
                      Outcome o = run("policy", "--roles", f.toString());
                      assertSane(o, "role file seed " + seed);
                      assertThat(PolicyMessagesTest.JAVA_METHOD.matcher(o.err()).find())
                          .as("a Java method in: %s", o.err())
                          .isFalse();
                      if (o.code() == ExitCode.BAD_INPUT) {
                        bad.incrementAndGet();
                      }
                    }));
    assertThat(bad.get()).isGreaterThan(60);
  }

  @Test
  void validateAndAnalyze_randomAndMutatedPolicies_exitCleanly() {
    AtomicInteger bad = new AtomicInteger();
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () ->
            qt().withFixedSeed(14_004L)
                .withExamples(300)
                .forAll(seeds())
                .checkAssert(
                    seed -> {
                      Path f = fileOrFail("policy.json", document(seed, POLICY));
                      Outcome validate = run("validate", f.toString());
                      assertSane(validate, "validate seed " + seed);
                      Outcome analyze =
                          run("analyze", "--policy", f.toString(), "--account", "111122223333");
                      assertSane(analyze, "analyze seed " + seed);
                      assertThat(analyze.code() == ExitCode.BAD_INPUT)
                          .as("validate and analyze agree on what parses, seed %d", seed)
                          .isEqualTo(validate.code() == ExitCode.BAD_INPUT);
                      if (validate.code() == ExitCode.BAD_INPUT) {
                        bad.incrementAndGet();
                      }
                    }));
    assertThat(bad.get()).isGreaterThan(60);
  }

  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private static final String REQUEST =
      "{\"principal\": \"arn:aws:iam::111122223333:role/App\", \"action\": \"kms:Decrypt\","
          + " \"context\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\","
          + " \"aws:SourceIp\": \"203.0.113.7\", \"kms:CallerAccount\": \"111122223333\"}}";

  @Test
  void evaluate_randomAndMutatedRequestLines_oneOutputLinePerInputLine() throws IOException {
    Path policy = file("policy.json", POLICY);
    AtomicInteger badLines = new AtomicInteger();
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () ->
            qt().withFixedSeed(14_005L)
                .withExamples(150)
                .forAll(seeds())
                .checkAssert(
                    seed -> {
                      SplittableRandom r = new SplittableRandom(seed);
                      int n = 1 + r.nextInt(12);
                      StringBuilder stream = new StringBuilder();
                      for (int i = 0; i < n; i++) {
                        String line =
                            r.nextInt(4) == 0
                                ? REQUEST
                                : r.nextInt(5) == 0 ? randomJson(r, 0) : mutate(REQUEST, r);
                        // One request per line: a mutation's line breaks stay within the line,
                        // and a blank line (which is skipped) is not one.
                        line = line.replace('\n', ' ').replace('\r', ' ');
                        stream.append(line.isBlank() ? "[]" : line).append('\n');
                      }
                      Path f = fileOrFail("requests.jsonl", stream.toString());
                      Outcome o =
                          run(
                              "evaluate",
                              "--policy",
                              policy.toString(),
                              "--key-arn",
                              KEY_ARN,
                              "--requests",
                              f.toString());
                      String what = "request lines seed " + seed;
                      assertThat(o.code()).as("exit code for %s", what).isBetween(0, 2);
                      assertThat(RAW.matcher(o.err()).find())
                          .as("raw exception text for %s: %s", what, o.err())
                          .isFalse();
                      assertThat(RAW.matcher(o.out()).find())
                          .as("raw exception text for %s: %s", what, o.out())
                          .isFalse();
                      String[] out = o.out().split("\n", -1);
                      assertThat(out).as(what).hasSize(n + 1);
                      assertThat(out[n]).as(what).isEmpty();
                      boolean anyError = false;
                      for (int i = 0; i < n; i++) {
                        assertThat(out[i])
                            .as("output line %d of %s", i + 1, what)
                            .startsWith("{\"line\":" + (i + 1) + ",");
                        if (out[i].startsWith("{\"line\":" + (i + 1) + ",\"error\":")) {
                          anyError = true;
                          badLines.incrementAndGet();
                        }
                      }
                      assertThat(o.code() == ExitCode.BAD_INPUT)
                          .as("exit code 2 exactly when a line is in error, %s", what)
                          .isEqualTo(anyError);
                    }));
    assertThat(badLines.get()).isGreaterThan(100);
  }

  @Test
  void check_randomAndMutatedBaselines_exitCleanly() throws IOException {
    Path snapshot = file("demo.json", demoSnapshot());
    Path written = dir.resolve("written-baseline.json");
    assertThat(run("check", snapshot.toString(), "--write-baseline", written.toString()).code())
        .isZero();
    String valid = Files.readString(written, StandardCharsets.UTF_8);
    AtomicInteger bad = new AtomicInteger();
    assertTimeoutPreemptively(
        Duration.ofMinutes(5),
        () ->
            qt().withFixedSeed(14_006L)
                .withExamples(120)
                .forAll(seeds())
                .checkAssert(
                    seed -> {
                      Path f = fileOrFail("baseline.json", document(seed, valid));
                      Outcome o = run("check", snapshot.toString(), "--baseline", f.toString());
                      assertSane(o, "baseline seed " + seed);
                      if (o.code() == ExitCode.BAD_INPUT) {
                        bad.incrementAndGet();
                      }
                    }));
    assertThat(bad.get()).isGreaterThan(20);
  }

  private Path fileOrFail(String name, String text) {
    try {
      return file(name, text);
    } catch (IOException e) {
      throw new AssertionError("cannot write the fuzz input", e);
    }
  }

  @Test
  void mutate_isDeterministicPerSeed() {
    assertThat(document(42L, POLICY)).isEqualTo(document(42L, POLICY));
    assertThat(Map.of("a", document(1L, POLICY))).isNotEqualTo(Map.of("a", document(2L, POLICY)));
  }
}
