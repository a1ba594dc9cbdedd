package dev.kmsposture.cli;

import dev.kmsposture.testkit.kms.KmsSeedException;
import dev.kmsposture.testkit.kms.KmsSeedFile;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture local-kms}: runs the embedded KMS, with its CloudTrail, STS and Organizations
 * companions, on 127.0.0.1 until stopped (Ctrl-C, SIGTERM, or an interrupt of the thread that runs
 * it), so that the AWS CLI and any language's SDK can use it.
 *
 * <p>The first line of standard output is the endpoint, such as {@code http://127.0.0.1:49152};
 * nothing else is written there. Progress goes to standard error. A seed file that cannot be read
 * or names a wrong field, and a port that is in use, are bad input ({@link ExitCode#BAD_INPUT}).
 */
@Command(
    name = "local-kms",
    mixinStandardHelpOptions = true,
    description = {
      "Run an embedded AWS KMS, with CloudTrail, STS and Organizations, on 127.0.0.1 until"
          + " stopped (Ctrl-C).",
      "The first line printed is the endpoint: aws --endpoint-url <endpoint> kms create-key"
    })
final class LocalKmsCommand implements Callable<Integer> {
  /** How long a shutdown hook waits for the server to close. */
  private static final long SHUTDOWN_WAIT_SECONDS = 5;

  @Spec private CommandSpec spec = CommandSpec.create();

  @ParentCommand private @Nullable KmsPosture parent;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "0",
      description = "TCP port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--seed",
      paramLabel = "FILE",
      description = "A YAML or JSON seed file of keys, aliases, grants, … (see docs/local-kms.md).")
  private @Nullable String seedFile;

  @Option(
      names = "--enforce-policies",
      description =
          "Decide every request with key policies, grants and IAM delegation; refused requests"
              + " get AccessDeniedException. Off by default: every signed request is allowed.")
  private boolean enforcePolicies;

  /** Creates the command; picocli calls this. */
  public LocalKmsCommand() {}

  /**
   * Starts the server, prints its endpoint and serves until stopped.
   *
   * @return {@link ExitCode#OK} once stopped
   * @throws BadInputException for a bad port or seed file, or a port in use
   */
  @Override
  public Integer call() {
    if (port < 0 || port > 65_535) {
      throw new BadInputException(
          String.format("port [%d] is not 0 to 65535; use 0 for a free port", port));
    }
    LocalKms kms = build();
    LocalKmsServer server;
    try {
      server = LocalKmsServer.builder(kms).port(port).start();
    } catch (UncheckedIOException e) {
      throw BadInputException.from(e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch stopRequested = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopRequested.countDown();
              try {
                stopped.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "local-kms-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.println(server.endpoint());
      out.flush();
      err.printf(
          "local KMS with CloudTrail, STS and Organizations listening on %s%s; Ctrl-C stops it%n",
          server.endpoint(), enforcePolicies ? ", enforcing key policies" : "");
      err.flush();
      stopRequested.await();
    } catch (InterruptedException e) {
      // an interrupt is a request to stop, as Ctrl-C is
      Thread.currentThread().interrupt();
    } finally {
      server.close();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running
      }
      err.println("local KMS stopped");
      err.flush();
    }
    return ExitCode.OK;
  }

  private LocalKms build() {
    LocalKms.Builder builder = LocalKms.builder().enforcePolicies(enforcePolicies);
    String seedName = seedFile;
    if (seedName != null) {
      InputReader input =
          parent != null
              ? parent.input()
              : InputReader.of(System.in, InputReader.DEFAULT_MAX_BYTES);
      String text = input.read(seedName);
      try {
        builder.seed(KmsSeedFile.parse(text, seedName));
      } catch (KmsSeedException e) {
        throw BadInputException.from(e);
      }
    }
    try {
      return builder.build();
    } catch (KmsSeedException e) {
      throw BadInputException.from(e);
    }
  }
}
