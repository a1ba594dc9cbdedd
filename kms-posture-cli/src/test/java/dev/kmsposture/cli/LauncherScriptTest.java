package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./kms-posture} launcher, run with stand-ins for {@code mvn} (which writes the ANSI
 * reset codes Maven 3.8 writes even in batch mode) and {@code java}: its first build shows no
 * escape codes, and a failed build says so.
 */
class LauncherScriptTest {
  private static final Path LAUNCHER = Path.of("..", "kms-posture");

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result launch(String mvnBody) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
    Path checkout = dir.resolve("checkout");
    Files.createDirectories(checkout.resolve("kms-posture-cli/target"));
    Path launcher = checkout.resolve("kms-posture");
    Files.copy(LAUNCHER, launcher);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    script(bin.resolve("mvn"), mvnBody);
    script(bin.resolve("java"), "echo \"java $*\"");
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", launcher.toString(), "--version");
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    Process p = pb.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static void script(Path file, String body) throws IOException {
    Files.write(file, List.of("#!/bin/bash", body), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void firstBuild_printsNoEscapeCodes() throws Exception {
    // given: a Maven that builds the jar and writes ESC[0m on both streams, as Maven 3.8 does
    Result r =
        launch(
            "printf '\\033[0m\\033[0m'; printf '\\033[0m' >&2;"
                + " touch kms-posture-cli/target/kms-posture.jar");

    // then
    assertThat(r.code()).isZero();
    assertThat(r.err())
        .doesNotContain("\u001b")
        .isEqualTo(
            "kms-posture: "
                + dir.resolve("checkout").toRealPath()
                + "/kms-posture-cli/target/kms-posture.jar is missing; building it with Maven"
                + " (takes a minute the first time)\n");
    assertThat(r.out()).startsWith("java -jar ").endsWith("kms-posture.jar --version\n");
  }

  @Test
  void failedBuild_showsMavensMessagesWithoutEscapeCodesAndExitsInternal() throws Exception {
    Result r = launch("printf '\\033[1;31m[ERROR]\\033[m compilation failed\\n'; exit 1");

    assertThat(r.code()).isEqualTo(ExitCode.INTERNAL);
    assertThat(r.err())
        .doesNotContain("\u001b")
        .contains("[ERROR] compilation failed\n")
        .endsWith("kms-posture: the build failed (Maven exit 1); see the messages above\n");
    assertThat(r.out()).isEmpty();
  }
}
