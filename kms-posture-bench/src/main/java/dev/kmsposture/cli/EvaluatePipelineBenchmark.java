package dev.kmsposture.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.NullMarked;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import picocli.CommandLine;

/**
 * The whole {@code kms-posture evaluate} pipeline, as the command runs it: {@value #LINES} request
 * lines (JSON bytes in memory) through the command's option parsing, policy compilation, reader
 * thread, worker threads (one per processor: parse with Jackson's streaming parser, evaluate,
 * format) and ordered writer, into standard output as the command line makes it ({@link
 * StandardOutput}), over a stream that discards the bytes. One operation is one decision
 * (throughput: decisions per second, on every core the machine has).
 *
 * <p>On a shared machine the wall-clock rate says more about the other processes than about the
 * code, so each iteration also prints the decisions per CPU-second of this process (all its
 * threads: reader, workers, writer, and the JVM's compiler and collector) on standard output,
 * {@code cpu: N decisions per CPU-second}.
 *
 * <p>The key policy has 5 statements (root, administrators, users of two principals with a
 * kms:ViaService condition, grants with kms:GrantIsForAWSResource, a Deny outside the
 * organization); the requests mix 6 principals, 7 actions and 2 to 4 context keys, with a tenant
 * encryption context that makes almost every line distinct.
 *
 * <p>Lives in {@code dev.kmsposture.cli} to construct the command on its own standard input.
 */
// Bench shares the CLI's package (to reach its package-private pipeline) but not its module.
@NullMarked
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class EvaluatePipelineBenchmark {
  static final int LINES = 200_000;
  static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  /** The key policy: 5 statements. */
  static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Id\":\"key-policy-5\",\"Statement\":["
          + "{\"Sid\":\"EnableRoot\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
          + "{\"Sid\":\"KeyAdministrators\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"arn:aws:iam::111122223333:role/KeyAdmin\"},\"Action\":[\"kms:Create*\","
          + "\"kms:Describe*\",\"kms:Enable*\",\"kms:List*\",\"kms:Put*\",\"kms:Update*\","
          + "\"kms:Revoke*\",\"kms:Disable*\",\"kms:Get*\",\"kms:Delete*\",\"kms:TagResource\","
          + "\"kms:UntagResource\",\"kms:ScheduleKeyDeletion\",\"kms:CancelKeyDeletion\"],"
          + "\"Resource\":\"*\"},"
          + "{\"Sid\":\"KeyUsers\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
          + "\"arn:aws:iam::111122223333:role/App\",\"arn:aws:iam::444455556666:root\"]},"
          + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\","
          + "\"kms:GenerateDataKey*\",\"kms:DescribeKey\"],\"Resource\":\"*\",\"Condition\":"
          + "{\"StringEquals\":{\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}},"
          + "{\"Sid\":\"Grants\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
          + "\"arn:aws:iam::111122223333:role/App\"},\"Action\":[\"kms:CreateGrant\","
          + "\"kms:ListGrants\",\"kms:RevokeGrant\"],\"Resource\":\"*\",\"Condition\":{\"Bool\":"
          + "{\"kms:GrantIsForAWSResource\":\"true\"}}},"
          + "{\"Sid\":\"DenyOutsideOrg\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":"
          + "\"kms:*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":"
          + "{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"},\"Bool\":{\"aws:PrincipalIsAWSService\":"
          + "\"false\"}}}]}";

  private byte[] input;
  private Path policyFile;
  private long cpuAtStart;
  private long decisions;

  // The process's CPU time in nanoseconds (every thread), or -1 where the platform does not say.
  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  /** Notes the CPU time at the start of an iteration. */
  @Setup(Level.Iteration)
  public void startIteration() {
    decisions = 0;
    cpuAtStart = processCpuNanos();
  }

  /** Prints the decisions per CPU-second of the iteration. */
  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = processCpuNanos() - cpuAtStart;
    if (cpuAtStart >= 0 && cpu > 0) {
      System.out.printf(
          "%ncpu: %,d decisions per CPU-second (%,d decisions, %.2f s CPU)%n",
          Math.round(decisions / (cpu / 1e9)), decisions, cpu / 1e9);
    }
  }

  /** Writes the policy to a file and generates the request lines with a fixed seed. */
  @Setup
  public void setUp() throws IOException {
    policyFile = Files.createTempFile("kms-posture-bench-policy", ".json");
    Files.writeString(policyFile, POLICY);
    input = requests(LINES, new Random(1)).getBytes(StandardCharsets.UTF_8);
  }

  /** Deletes the policy file. */
  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(policyFile);
  }

  /** Returns {@code n} request lines. */
  static String requests(int n, Random random) {
    List<String> principals =
        List.of(
            "arn:aws:iam::111122223333:role/App",
            "arn:aws:sts::111122223333:assumed-role/App/i-0abc",
            "arn:aws:iam::111122223333:role/KeyAdmin",
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:iam::444455556666:role/Partner",
            "arn:aws:iam::111122223333:root");
    List<String> actions =
        List.of(
            "kms:Decrypt",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:DescribeKey",
            "kms:CreateGrant",
            "kms:PutKeyPolicy",
            "kms:ScheduleKeyDeletion");
    StringBuilder sb = new StringBuilder(n * 240);
    for (int i = 0; i < n; i++) {
      sb.append("{\"principal\": \"")
          .append(principals.get(random.nextInt(principals.size())))
          .append("\", \"action\": \"")
          .append(actions.get(random.nextInt(actions.size())))
          .append("\", \"context\": {\"kms:ViaService\": \"")
          .append(random.nextBoolean() ? "s3" : "ebs")
          .append(".us-east-1.amazonaws.com\", \"aws:PrincipalOrgID\": \"")
          .append(random.nextInt(4) == 0 ? "o-zzzzzzzzzz" : "o-a1b2c3d4e5")
          .append("\", \"kms:EncryptionContext:tenant\": \"t-")
          .append(i % 1000);
      if (random.nextInt(10) < 3) {
        sb.append("\", \"kms:GrantIsForAWSResource\": ")
            .append(random.nextBoolean())
            .append("}}\n");
      } else {
        sb.append("\"}}\n");
      }
    }
    return sb.toString();
  }

  /** Runs {@code evaluate} over every line; returns the exit code. */
  @Benchmark
  @OperationsPerInvocation(LINES)
  public int evaluateStream() {
    CommandLine cl = new CommandLine(new EvaluateCommand(new ByteArrayInputStream(input)));
    // Standard output as the command line makes it: the decisions go out as UTF-8 bytes.
    cl.setOut(StandardOutput.writer(OutputStream.nullOutputStream()));
    cl.setErr(new PrintWriter(new StringWriter()));
    decisions += LINES;
    return cl.execute("--policy", policyFile.toString(), "--key-arn", KEY_ARN);
  }
}
