package dev.kmsposture.cli;

import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.SeedKey;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tests of {@code kms-posture scan} share: an SDK kept away from the host, the environment
 * that signs in to the embedded KMS, the seed keys, and the command line's run.
 */
final class ScanFixtures {
  /** The clock of the embedded KMS. */
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  /** The scanning account. */
  static final String ACCOUNT = "123456789012";

  private ScanFixtures() {}

  /**
   * Keeps the SDK from looking beyond loopback: the instance metadata service is switched off and
   * the shared AWS files point nowhere. Call it from the test class's static initializer, before
   * any SDK class loads.
   */
  static void isolateFromHost() {
    System.setProperty("aws.disableEc2Metadata", "true");
    System.setProperty("aws.configFile", "/nonexistent/kms-posture-test/config");
    System.setProperty("aws.sharedCredentialsFile", "/nonexistent/kms-posture-test/credentials");
  }

  /** Returns the environment of a scan: the embedded KMS's credentials and a default Region. */
  static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", LocalKms.DEFAULT_ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", "local-kms-secret");
    env.put("AWS_REGION", "us-east-1");
    return env;
  }

  /**
   * Returns a seed key of {@code account} with alias {@code alias/orders-i}, created on 2026-03-01;
   * the caller sets the rest (Region, description, rotation).
   */
  static SeedKey.Builder key(String account, int i) {
    return SeedKey.builder()
        .account(account)
        .creationDate(Instant.parse("2026-03-01T00:00:00Z"))
        .addAlias("alias/orders-" + i);
  }

  /**
   * Returns the arguments of a scan of {@code endpoint} in us-east-1 and eu-west-1 with a budget of
   * one request a second, followed by {@code more}.
   */
  static String[] scan(String endpoint, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "scan",
                "--endpoint-url",
                endpoint,
                "--region",
                "us-east-1",
                "--region",
                "eu-west-1",
                "--budget",
                "1"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** Runs the command line with {@code env}, writing to {@code out} and {@code err}. */
  static int run(StringWriter out, StringWriter err, Map<String, String> env, String... args) {
    return KmsPosture.commandLine(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            new ByteArrayInputStream(new byte[0]),
            env::get)
        .execute(args);
  }
}
