package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze --fail-on public|cross-account|lockout}: CI gates on analysis verdicts. */
class AnalyzeFailOnTest {
  static final String ROOT = AnalyzeCommandTest.ROOT;
  static final String PARTNER_DECRYPT =
      "{\"Sid\": \"Partner\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::444455556666:root\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}";
  static final String VPCE_ONLY =
      "{\"Sid\": \"Vpce\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
          + " \"kms:Decrypt\", \"Resource\": \"*\", \"Condition\": {\"StringEquals\":"
          + " {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}}";

  @TempDir Path dir;

  private Path write(String... statements) throws IOException {
    Path file = dir.resolve("policy.json");
    Files.writeString(
        file,
        "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}");
    return file;
  }

  private static AnalyzeCommandTest.Run analyze(Path policy, String... more) {
    String[] args = new String[more.length + 4];
    args[0] = "--policy";
    args[1] = policy.toString();
    args[2] = "--account";
    args[3] = "111122223333";
    System.arraycopy(more, 0, args, 4, more.length);
    return AnalyzeCommandTest.run(args);
  }

  @Test
  void analyze_crossAccountWithFailOnCrossAccount_exitsOneAndSaysWhy() throws IOException {
    // given: on main, "Cross-account: YES" and exit 0 with no way to gate on it
    Path policy = write(ROOT, PARTNER_DECRYPT);

    // when
    AnalyzeCommandTest.Run run = analyze(policy, "--fail-on", "cross-account");

    // then
    assertThat(run.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(run.out()).contains("Cross-account: YES");
    assertThat(run.err())
        .isEqualTo(
            "failing because of --fail-on cross-account: an Allow reaches principals outside"
                + " account 111122223333 (accounts [444455556666])\n");
  }

  @Test
  void analyze_crossAccountWithDefaultFailOn_exitsZero() throws IOException {
    AnalyzeCommandTest.Run run = analyze(write(ROOT, PARTNER_DECRYPT));

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.OK);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void analyze_failOnListAndRepeated_areTheSame() throws IOException {
    Path policy = write(ROOT, PARTNER_DECRYPT);

    AnalyzeCommandTest.Run list = analyze(policy, "--fail-on", "public,cross-account");
    AnalyzeCommandTest.Run repeated =
        analyze(policy, "--fail-on", "public", "--fail-on", "cross-account");

    assertThat(list.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(repeated).isEqualTo(list);
  }

  @Test
  void analyze_publicWithFailOnNone_exitsZero() throws IOException {
    AnalyzeCommandTest.Run run =
        analyze(write(ROOT, AnalyzeCommandTest.PUBLIC_DECRYPT), "--fail-on", "none");

    assertThat(run.code()).isEqualTo(ExitCode.OK);
  }

  @Test
  void analyze_networkNarrowedWildcard_failsSafeUnlessAllowUnknown() throws IOException {
    // given: an Allow to everyone narrowed only to a VPC endpoint: public or not is not known
    Path policy = write(ROOT, VPCE_ONLY);

    AnalyzeCommandTest.Run strict = analyze(policy, "--fail-on", "public");
    AnalyzeCommandTest.Run allowing = analyze(policy, "--fail-on", "public", "--allow-unknown");

    assertThat(strict.out()).contains("NOT_PUBLIC_ACCOUNTS_UNKNOWN");
    assertThat(strict.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(strict.err())
        .isEqualTo(
            "failing because of --fail-on public: the key may be public: a wildcard Allow is"
                + " narrowed only to a network origin, so which accounts can call is not known"
                + " (--allow-unknown accepts this)\n");
    assertThat(allowing.code()).as(allowing.err()).isEqualTo(ExitCode.OK);
  }

  @Test
  void analyze_networkNarrowedWildcard_isCrossAccountEvenWithAllowUnknown() throws IOException {
    AnalyzeCommandTest.Run run =
        analyze(write(ROOT, VPCE_ONLY), "--fail-on", "cross-account", "--allow-unknown");

    assertThat(run.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(run.err()).startsWith("failing because of --fail-on cross-account: ");
  }

  @Test
  void analyze_lockoutWithFailOnLockout_exitsOne() throws IOException {
    String denyPut =
        "{\"Sid\": \"NoChange\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
            + " \"kms:PutKeyPolicy\", \"Resource\": \"*\"}";

    AnalyzeCommandTest.Run run = analyze(write(ROOT, denyPut), "--fail-on", "lockout");

    assertThat(run.code()).isEqualTo(ExitCode.FINDINGS);
    assertThat(run.err()).startsWith("failing because of --fail-on lockout: ");
  }

  @Test
  void analyze_unknownVerdict_exitsTwoListingTheVerdicts() throws IOException {
    AnalyzeCommandTest.Run run = analyze(write(ROOT), "--fail-on", "public,leaky");

    assertThat(run.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.err())
        .isEqualTo(
            "error: --fail-on [leaky] is not a verdict; expected public, cross-account, lockout"
                + " (one or more, comma-separated or repeated) or none\n");
  }
}
