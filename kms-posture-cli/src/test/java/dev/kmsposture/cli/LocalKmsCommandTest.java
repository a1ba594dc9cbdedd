package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import dev.kmsposture.testkit.net.LoopbackOnly;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** {@code kms-posture local-kms}: started on a free port, called over HTTP, stopped. */
class LocalKmsCommandTest {
  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  /** A running {@code local-kms} command in its own thread. */
  private final class Running implements AutoCloseable {
    final Thread thread;
    final AtomicInteger exitCode = new AtomicInteger(-1);
    final URI endpoint;

    Running(String... args) throws IOException {
      PipedInputStream pipe = new PipedInputStream();
      PrintWriter out = new PrintWriter(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
      PrintWriter errWriter = new PrintWriter(err, true);
      String[] command = new String[args.length + 1];
      command[0] = "local-kms";
      System.arraycopy(args, 0, command, 1, args.length);
      thread =
          new Thread(
              () -> {
                exitCode.set(
                    KmsPosture.commandLine(
                            out,
                            errWriter,
                            new ByteArrayInputStream(new byte[0]),
                            new HashMap<String, String>()::get)
                        .execute(command));
                out.close();
              },
              "local-kms-command");
      thread.start();
      BufferedReader lines =
          new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8));
      String first = lines.readLine();
      assertThat(first).as("first line of standard output; stderr: %s", err).isNotNull();
      endpoint = URI.create(first);
      LoopbackOnly.requireLoopback(endpoint);
    }

    KmsClient kms() {
      return KmsClient.builder()
          .region(Region.US_EAST_1)
          .endpointOverride(endpoint)
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCLI", "secret")))
          .build();
    }

    /** Stops the command as Ctrl-C would, and waits for it to exit. */
    @Override
    public void close() {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping local-kms", e);
      }
    }
  }

  private int run(String... args) {
    StringWriter out = new StringWriter();
    return KmsPosture.commandLine(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(new byte[0]),
            new HashMap<String, String>()::get)
        .execute(args);
  }

  @Test
  @Timeout(120)
  void localKms_printsTheEndpointFirst_servesKms_andStopsCleanly() throws Exception {
    // given
    Running running = new Running("--port", "0");
    URI endpoint = running.endpoint;

    // when
    String keyId;
    try (KmsClient kms = running.kms()) {
      keyId = kms.createKey(b -> b.description("from the CLI test")).keyMetadata().keyId();
      assertThat(kms.describeKey(b -> b.keyId(keyId)).keyMetadata().description())
          .isEqualTo("from the CLI test");
    }
    running.close();

    // then
    assertThat(endpoint.toString()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(running.thread.isAlive()).isFalse();
    assertThat(running.exitCode.get()).isEqualTo(ExitCode.OK);
    assertThat(err.toString())
        .contains("local KMS with CloudTrail, STS and Organizations listening on " + endpoint)
        .contains("local KMS stopped");
    try (KmsClient kms = running.kms()) {
      assertThatThrownBy(kms::listKeys).isInstanceOf(SdkClientException.class);
    }
  }

  @Test
  @Timeout(120)
  void localKms_seedFile_isServed() throws Exception {
    // given
    Path seed = dir.resolve("seed.yaml");
    Files.writeString(
        seed,
        """
        keys:
          - keyId: 1234abcd-12ab-34cd-56ef-1234567890ab
            description: orders
            aliases: [alias/orders]
        """);

    // when
    try (Running running = new Running("--seed", seed.toString(), "--enforce-policies");
        KmsClient kms = running.kms()) {
      // then
      assertThat(kms.describeKey(b -> b.keyId("alias/orders")).keyMetadata().keyId())
          .isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
    }
    assertThat(err.toString()).contains("enforcing key policies");
  }

  @Test
  void localKms_badSeedField_isBadInputNamingTheField() throws Exception {
    Path seed = dir.resolve("bad.yaml");
    Files.writeString(seed, "keys:\n  - keySpec: RSA_1024\n");

    int code = run("local-kms", "--seed", seed.toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .startsWith("error: ")
        .contains("keys[0].keySpec")
        .contains("RSA_1024");
  }

  @Test
  void localKms_missingSeedFile_isBadInput() {
    int code = run("local-kms", "--seed", dir.resolve("missing.yaml").toString());

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).startsWith("error: ").contains("missing.yaml");
  }

  @Test
  void localKms_portInUse_isBadInputWithAClearMessage() {
    try (LocalKmsServer taken = LocalKmsServer.start(LocalKms.create())) {
      int code = run("local-kms", "--port", Integer.toString(taken.port()));

      assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(err.toString())
          .isEqualTo(
              String.format(
                  "error: cannot listen on 127.0.0.1:%d: the port is in use; choose another port,"
                      + " or 0 for a free one%n",
                  taken.port()));
    }
  }

  @Test
  void localKms_portOutOfRange_isBadInput() {
    int code = run("local-kms", "--port", "70000");

    assertThat(code).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString())
        .isEqualTo(String.format("error: port [70000] is not 0 to 65535; use 0 for a free port%n"));
  }

  @Test
  void localKms_help_listsItsOptions() {
    StringWriter out = new StringWriter();
    int code =
        KmsPosture.commandLine(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                new ByteArrayInputStream(new byte[0]),
                new HashMap<String, String>()::get)
            .execute("local-kms", "--help");

    assertThat(code).isEqualTo(ExitCode.OK);
    assertThat(out.toString())
        .contains("Usage: kms-posture local-kms")
        .contains("--port=N")
        .contains("--seed=FILE")
        .contains("--enforce-policies");
  }
}
