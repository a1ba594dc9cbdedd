package dev.kmsposture.cli;

import static dev.kmsposture.cli.AnalyzeCommandTest.ROOT;
import static dev.kmsposture.cli.AnalyzeCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --prove}: the prover's answers, with witnesses, and the exit status they decide.
 */
class AnalyzeProveTest {
  private static final String ADMIN =
      "{\"Sid\": \"Admin\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/KeyAdmin\"}, \"Action\": \"kms:*\", \"Resource\":"
          + " \"*\"}";
  private static final String ONLY_BREAK_GLASS =
      "{\"Sid\": \"OnlyBG\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
          + " \"kms:PutKeyPolicy\", \"Resource\": \"*\", \"Condition\": {\"ArnNotEquals\":"
          + " {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:role/BreakGlass\"}}}";
  private static final String ANYONE_DECRYPT =
      "{\"Sid\": \"Anyone\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
          + " \"kms:Decrypt\", \"Resource\": \"*\"}";

  @TempDir Path dir;

  private Path write(String name, String... statements) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}");
    return file;
  }

  @Test
  void analyzeProve_defaultPolicy_provesNoFindingAndExitsZero() throws IOException {
    // given
    Path policy = write("policy.json", ROOT);

    // when
    AnalyzeCommandTest.Run run =
        run("--policy", policy.toString(), "--account", "111122223333", "--prove");

    // then
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Proofs (Z3 4.14.1")
        .contains("  Public: no (proved)")
        .contains("  Outside the account: no (proved)")
        .contains(
            "  Lockout: no, this principal can still change it - witness:"
                + " arn:aws:iam::111122223333:root kms:PutKeyPolicy");
  }

  @Test
  void analyzeProve_conditionalDenyLocksEveryoneOut_provesTheLockoutAndExitsOne()
      throws IOException {
    // given: issue 15's first case
    Path policy = write("policy.json", ADMIN, ONLY_BREAK_GLASS);

    // when
    AnalyzeCommandTest.Run run =
        run(
            "--policy",
            policy.toString(),
            "--account",
            "111122223333",
            "--caller",
            "arn:aws:iam::111122223333:role/KeyAdmin",
            "--prove");

    // then
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("  Lockout: YES (proved)")
        .contains("  Lockout safety check for the caller: FAILS (proved)");
    assertThat(run.err())
        .contains(
            "failing because of --fail-on lockout: no principal of the account can call"
                + " kms:PutKeyPolicy any more (proved)")
        .contains(
            "failing because of --caller: the caller would fail KMS's lockout safety check"
                + " (proved)");
  }

  @Test
  void analyzeProve_anyoneOnAnotherKey_isProvedNotPublicAndExitsZero() throws IOException {
    // given: the Allow names another key, so it grants nothing on this one
    Path policy =
        write(
            "policy.json",
            ROOT,
            "{\"Sid\": \"Elsewhere\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:*\", \"Resource\":"
                + " \"arn:aws:kms:us-east-1:111122223333:key/another\"}");

    // when
    AnalyzeCommandTest.Run run =
        run(
            "--policy",
            policy.toString(),
            "--account",
            "111122223333",
            "--key-arn",
            "arn:aws:kms:us-east-1:111122223333:key/this-key",
            "--prove");

    // then
    assertThat(run.out()).contains("  Public: no (proved)");
    assertThat(run.code()).as(run.err()).isZero();
  }

  @Test
  void analyzeProve_resourceNamingAKeyWithoutKeyArn_asksForTheKeyArn() throws IOException {
    // given: whether the Allow applies depends on which key the policy is attached to (it is
    // public if that is key/another)
    Path policy =
        write(
            "policy.json",
            ROOT,
            "{\"Sid\": \"Elsewhere\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:*\", \"Resource\":"
                + " \"arn:aws:kms:us-east-1:111122223333:key/another\"}");

    // when
    AnalyzeCommandTest.Run run =
        run("--policy", policy.toString(), "--account", "111122223333", "--prove");

    // then
    assertThat(run.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(run.err())
        .contains("--prove needs --key-arn: statement /Statement/1 (Sid \"Elsewhere\")");
  }

  @Test
  void analyzeProve_anyoneMayDecrypt_printsAWitnessFromAnotherAccount() throws IOException {
    // given
    Path policy = write("policy.json", ROOT, ANYONE_DECRYPT);

    // when
    AnalyzeCommandTest.Run run =
        run("--policy", policy.toString(), "--account", "111122223333", "--prove");

    // then
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .containsPattern("  Public: YES - witness: arn:aws:iam::\\d{12}:root kms:Decrypt");
  }

  @Test
  void analyzeProve_jsonFormat_hasTheProofsWithTheirAnswers() throws IOException {
    // given
    Path old = write("old.json", ROOT);
    Path proposed = write("new.json", ROOT, ANYONE_DECRYPT);

    // when
    AnalyzeCommandTest.Run run =
        run(
            "--policy",
            proposed.toString(),
            "--account",
            "111122223333",
            "--diff",
            old.toString(),
            "--prove",
            "--key-arn",
            "arn:aws:kms:eu-west-1:111122223333:key/k1",
            "--format",
            "json");

    // then
    assertThat(run.code()).isEqualTo(1);
    JsonNode proofs = new ObjectMapper().readTree(run.out()).get("proofs");
    assertThat(proofs.get("keyArn").asText())
        .isEqualTo("arn:aws:kms:eu-west-1:111122223333:key/k1");
    assertThat(proofs.get("public").get("answer").asText()).isEqualTo("FOUND_WITNESS");
    assertThat(proofs.get("accountCanPutKeyPolicy").get("answer").asText())
        .isEqualTo("FOUND_WITNESS");
    assertThat(proofs.get("newAccess").get("answer").asText()).isEqualTo("FOUND_WITNESS");
    assertThat(proofs.get("newAccess").get("detail").asText()).contains("DENIED -> ALLOWED");
  }

  @Test
  void analyzeProve_keyArnOfAnotherAccount_exitsTwoAndSaysWhy() throws IOException {
    // given
    Path policy = write("policy.json", ROOT);

    // when
    AnalyzeCommandTest.Run run =
        run(
            "--policy",
            policy.toString(),
            "--account",
            "111122223333",
            "--prove",
            "--key-arn",
            "arn:aws:kms:us-east-1:444455556666:key/k1");

    // then
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "--key-arn [arn:aws:kms:us-east-1:444455556666:key/k1] is not a key ARN in account"
                + " 111122223333");
  }
}
