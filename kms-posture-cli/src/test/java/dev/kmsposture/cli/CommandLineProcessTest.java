package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a process, where the JVM's own behaviour shows: a full disk behind standard
 * output, a device that never ends as input, a heap too small for the input. On main these exited 0
 * having written nothing, read until memory was gone, and exited 1 with a stack trace.
 */
class CommandLineProcessTest {
  private static final File DEV_FULL = new File("/dev/full");
  private static final String DEV_ZERO = "/dev/zero";

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result kmsPosture(String heap, @Nullable File stdout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(KmsPosture.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Path out = dir.resolve("stdout.txt");
    pb.redirectOutput(stdout == null ? out.toFile() : stdout);
    Path err = dir.resolve("stderr.txt");
    pb.redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p = pb.start();
    // Generous: this is a bound on runaway reads, not a speed test.
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    assertThat(ended).as("the command ended").isTrue();
    return new Result(
        p.exitValue(),
        stdout == null ? Files.readString(out, StandardCharsets.UTF_8) : "",
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static void assumeLinuxDevices() {
    assumeTrue(DEV_FULL.exists() && new File(DEV_ZERO).exists(), "needs /dev/full and /dev/zero");
  }

  @Test
  void demo_toAFullDisk_exitsInternalWithOneLine() throws Exception {
    assumeLinuxDevices();

    Result r = kmsPosture("256m", DEV_FULL, "demo");

    assertThat(r.code()).isEqualTo(ExitCode.INTERNAL);
    assertThat(r.err())
        .isEqualTo(
            "error: cannot write to standard output (No space left on device); the output is"
                + " incomplete\n");
  }

  @Test
  void validate_toAFullDisk_exitsInternal() throws Exception {
    assumeLinuxDevices();
    Path policy = dir.resolve("policy.json");
    Files.writeString(
        policy,
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\":"
            + " {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\":"
            + " \"*\"}]}");

    Result r = kmsPosture("256m", DEV_FULL, "validate", policy.toString());

    assertThat(r.code()).isEqualTo(ExitCode.INTERNAL);
    assertThat(r.err()).startsWith("error: cannot write to standard output (");
  }

  @Test
  void check_devZero_stopsAtTheFirstBlockWithBadInput() throws Exception {
    assumeLinuxDevices();

    Result r = kmsPosture("256m", null, "check", DEV_ZERO);

    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err())
        .isEqualTo(
            "error: input file [/dev/zero] is not text: byte 0 is NUL; expected UTF-8 JSON or YAML"
                + " (a binary file, or a device such as /dev/zero?)\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void policy_rolesFromDevZero_stopsAtTheFirstBlockWithBadInput() throws Exception {
    assumeLinuxDevices();

    Result r = kmsPosture("256m", null, "policy", "--roles", DEV_ZERO);

    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).startsWith("error: input file [/dev/zero] is not text: byte 0 is NUL");
  }

  @Test
  void check_baselineTooLargeForTheHeap_exitsInternalWithOneLine() throws Exception {
    // given: a baseline of 400,000 fingerprints (about 14 MB) and a 32 MB heap
    Path snapshot = dir.resolve("demo.json");
    Files.writeString(snapshot, DemoReport.snapshot().toJson());
    Path baseline = dir.resolve("baseline.json");
    StringBuilder json = new StringBuilder("{\"fingerprints\": [");
    for (int i = 0; i < 400_000; i++) {
      json.append(i == 0 ? "" : ",").append(String.format("\"%032x\"", i));
    }
    Files.writeString(baseline, json.append("]}\n"));

    // when
    Result r =
        kmsPosture("32m", null, "check", snapshot.toString(), "--baseline", baseline.toString());

    // then
    assertThat(r.code()).isEqualTo(ExitCode.INTERNAL);
    assertThat(r.err())
        .isEqualTo(
            "internal error: out of memory — raise -Xmx (e.g. JAVA_TOOL_OPTIONS=-Xmx4g) or split"
                + " the input\n");
  }
}
