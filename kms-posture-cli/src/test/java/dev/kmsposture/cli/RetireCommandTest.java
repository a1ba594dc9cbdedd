package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** {@code kms-posture retire} against the embedded KMS on 127.0.0.1. */
class RetireCommandTest {
  private final LocalKms kms = LocalKms.create();
  private final LocalKmsServer server = LocalKmsServer.start(kms);
  private final KmsClient client = kms.kmsClient(Region.US_EAST_1);
  private final Map<String, String> env = new HashMap<>();
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  RetireCommandTest() {
    env.put("AWS_ACCESS_KEY_ID", LocalKms.DEFAULT_ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", "local-kms-secret");
    env.put("AWS_REGION", "us-east-1");
  }

  @AfterEach
  void close() {
    client.close();
    server.close();
  }

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    String[] all = new String[args.length + 3];
    all[0] = "retire";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--endpoint-url";
    all[args.length + 2] = server.endpoint().toString();
    return KmsPosture.run(
        all,
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        new ByteArrayInputStream(new byte[0]),
        env::get);
  }

  private String state(String key) {
    return client.describeKey(x -> x.keyId(key)).keyMetadata().keyStateAsString();
  }

  @Test
  void firstDisablesThenRefusesDeletionUntilTheCycleHasPassed() {
    String key = client.createKey(x -> x.description("old")).keyMetadata().arn();

    assertThat(run(key)).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Enabled").contains("next: disable");
    assertThat(state(key)).isEqualTo("Enabled");

    assertThat(run(key, "--apply")).as(err.toString()).isZero();
    assertThat(state(key)).isEqualTo("Disabled");
    assertThat(out.toString()).contains("now: ").contains("disabled at");

    assertThat(run(key)).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString()).contains("next: wait: disabled 0 days ago");
    assertThat(run(key, "--apply")).isEqualTo(ExitCode.FINDINGS);
    assertThat(out.toString()).contains("refused: ").contains("business cycle is 30 days");
    assertThat(state(key)).isEqualTo("Disabled");
  }

  @Test
  void badOptionsAreBadInput() {
    assertThat(run("alias/x", "--cancel")).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("--cancel needs --apply");
    assertThat(run("alias/x", "--window-days", "3")).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("deletion window [3] days is not 7 to 30");
  }

  @Test
  void anUnknownKeyIsBadInput() {
    assertThat(run("alias/no-such-key")).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(err.toString()).contains("cannot retire [alias/no-such-key]");
  }
}
