package dev.kmsposture.cli;

import static dev.kmsposture.cli.VerdictCommands.getsIn;
import static dev.kmsposture.cli.VerdictCommands.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.cli.VerdictCommands.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The critical verdicts that once passed what the evaluator refuses (or allows), each through the
 * three commands a user would run on it: {@code check} on a one-key snapshot, {@code analyze} on
 * the policy, and {@code evaluate} on the requests that decide it. The three must agree.
 */
class SoundVerdictsCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "111122223333";
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String ADMIN_ALLOW =
      "{\"Sid\": \"Admin\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/KeyAdmin\"}, \"Action\": \"kms:*\", \"Resource\":"
          + " \"*\"}";

  /** Principals of the key's account, as evaluate takes them. */
  private static final List<String> ACCOUNT_CALLERS =
      List.of(
          "arn:aws:iam::111122223333:role/KeyAdmin",
          "arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice",
          "arn:aws:sts::111122223333:assumed-role/BreakGlass/bob",
          "arn:aws:iam::111122223333:root",
          "arn:aws:iam::111122223333:user/carol");

  @TempDir Path dir;

  private static String policy(String... statements) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}";
  }

  /** The status of {@code ruleId} when {@code check} judges a one-key snapshot with the policy. */
  private String check(String policy, String ruleId) throws IOException {
    String key =
        JSON.writeValueAsString(
            JSON.createObjectNode()
                .put("arn", KEY_ARN)
                .put("keyId", "1234abcd-12ab-34cd-56ef-1234567890ab")
                .put("region", "us-east-1")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                    "metadata",
                    JSON.createObjectNode()
                        .put("keyManager", "CUSTOMER")
                        .put("keySpec", "SYMMETRIC_DEFAULT")
                        .put("keyUsage", "ENCRYPT_DECRYPT")
                        .put("origin", "AWS_KMS")
                        .put("keyState", "Enabled")
                        .put("creationDate", "2025-01-15T10:00:00Z")
                        .put("description", "orders"))
                .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                    "aliases", JSON.createArrayNode().add("alias/orders"))
                .put("policy", policy));
    Path snapshot = dir.resolve("snapshot.json");
    Files.writeString(
        snapshot,
        "{\"schemaVersion\": 1, \"account\": \""
            + ACCOUNT
            + "\", \"partition\": \"aws\", \"regions\": [\"us-east-1\"], \"capturedAt\":"
            + " \"2026-11-28T12:00:00Z\", \"keys\": ["
            + key
            + "]}");
    Run run = run(new CommandLine(new CheckCommand()), snapshot.toString(), "--format", "json");
    assertThat(run.code()).as(run.err()).isIn(ExitCode.OK, ExitCode.FINDINGS);
    List<String> statuses = new ArrayList<>();
    for (JsonNode f : JSON.readTree(run.out()).get("findings")) {
      if (f.get("ruleId").asText().equals(ruleId)) {
        statuses.add(f.get("status").asText());
      }
    }
    assertThat(statuses).as("findings of %s", ruleId).isNotEmpty();
    return statuses.contains("FAIL") ? "FAIL" : statuses.get(0);
  }

  /** What {@code analyze} prints for the policy of the key. */
  private Run analyze(String policy, String... more) throws IOException {
    Path file = dir.resolve("policy.json");
    Files.writeString(file, policy);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--policy",
                file.toString(),
                "--account",
                ACCOUNT,
                "--key-arn",
                KEY_ARN,
                "--fail-on",
                "public,lockout"));
    args.addAll(List.of(more));
    return run(new CommandLine(new AnalyzeCommand()), args.toArray(String[]::new));
  }

  /** The decisions {@code evaluate} gives for {@code action} by each principal. */
  private List<JsonNode> evaluate(String policy, String action, List<String> principals)
      throws IOException {
    List<String> requests = new ArrayList<>();
    for (String p : principals) {
      requests.add(VerdictCommands.request(p, action, Map.of()));
    }
    return VerdictCommands.evaluate(dir, KEY_ARN, policy, requests);
  }

  private void assertLockedOut(String policy) throws IOException {
    assertThat(check(policy, "KeyPolicyLockoutRisk")).isEqualTo("FAIL");
    Run analyzed = analyze(policy, "--caller", "arn:aws:iam::111122223333:role/KeyAdmin");
    assertThat(analyzed.out()).contains("Lockout risk: YES");
    assertThat(analyzed.out()).contains("Lockout safety check for the caller: FAILS");
    assertThat(analyzed.code()).isEqualTo(ExitCode.FINDINGS);
    for (JsonNode d : evaluate(policy, "kms:PutKeyPolicy", ACCOUNT_CALLERS)) {
      assertThat(getsIn(d)).as("evaluate: %s", d).isFalse();
    }
  }

  @Test
  void lockout_conditionalDenyExemptingOnlyAPrincipalWithoutAllow_allThreeSayLockedOut()
      throws IOException {
    assertLockedOut(
        policy(
            ADMIN_ALLOW,
            "{\"Sid\": \"OnlyBG\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:PutKeyPolicy\", \"Resource\": \"*\", \"Condition\": {\"ArnNotEquals\":"
                + " {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:role/BreakGlass\"}}}"));
  }

  @Test
  void lockout_denyToTheAccountPrincipal_allThreeSayLockedOut() throws IOException {
    assertLockedOut(
        policy(
            ADMIN_ALLOW,
            "{\"Sid\": \"NoChanges\", \"Effect\": \"Deny\", \"Principal\": {\"AWS\":"
                + " \"111122223333\"}, \"Action\": \"kms:PutKeyPolicy\", \"Resource\": \"*\"}"));
  }

  @Test
  void lockout_notPrincipalDenyListingOnlyTheRole_allThreeSayLockedOut() throws IOException {
    assertLockedOut(
        policy(
            ADMIN_ALLOW,
            "{\"Sid\": \"OnlyAdmin\", \"Effect\": \"Deny\", \"NotPrincipal\": {\"AWS\":"
                + " \"arn:aws:iam::111122223333:role/KeyAdmin\"}, \"Action\":"
                + " \"kms:PutKeyPolicy\", \"Resource\": \"*\"}"));
  }

  @Test
  void lockout_denyOnlyOnBypassingTheSafetyCheck_allThreeSayManageable() throws IOException {
    String policy =
        policy(
            ADMIN_ALLOW,
            "{\"Sid\": \"NoBypass\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:PutKeyPolicy\", \"Resource\": \"*\", \"Condition\": {\"Bool\":"
                + " {\"kms:BypassPolicyLockoutSafetyCheck\": \"true\"}}}");

    assertThat(check(policy, "KeyPolicyLockoutRisk")).isEqualTo("PASS");
    Run analyzed = analyze(policy, "--caller", "arn:aws:iam::111122223333:role/KeyAdmin");
    assertThat(analyzed.out()).contains("Lockout risk: no");
    assertThat(analyzed.out()).contains("Lockout safety check for the caller: passes");
    assertThat(
            evaluate(policy, "kms:PutKeyPolicy", List.of(ACCOUNT_CALLERS.get(1)))
                .get(0)
                .get("decision")
                .asText())
        .isEqualTo("ALLOWED");
  }

  @Test
  void public_guardDenyWhoseResourceIsAnotherKey_allThreeSayPublic() throws IOException {
    String policy =
        policy(
            "{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
                + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\":"
                + " \"*\"}",
            "{\"Sid\": \"Shared\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:Decrypt\", \"Resource\": \"*\"}",
            "{\"Sid\": \"OrgOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:*\", \"Resource\":"
                + " \"arn:aws:kms:us-east-1:111122223333:key/another-key\", \"Condition\":"
                + " {\"StringNotEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}}");

    assertThat(check(policy, "KeyPolicyPublic")).isEqualTo("FAIL");
    Run analyzed = analyze(policy);
    assertThat(analyzed.out()).contains("Public: YES (PUBLIC)").contains("witness: ");
    assertThat(analyzed.code()).isEqualTo(ExitCode.FINDINGS);
    JsonNode d = evaluate(policy, "kms:Decrypt", List.of("arn:aws:iam::999999999999:root")).get(0);
    assertThat(d.get("decision").asText()).isEqualTo("ALLOWED");
  }

  @Test
  void public_guardDenyOnThisKey_allThreeSayNotPublic() throws IOException {
    String policy =
        policy(
            "{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
                + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\":"
                + " \"*\"}",
            "{\"Sid\": \"Shared\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:Decrypt\", \"Resource\": \"*\"}",
            "{\"Sid\": \"OrgOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\":"
                + " \"kms:*\", \"Resource\": \""
                + KEY_ARN
                + "\", \"Condition\": {\"StringNotEquals\": {\"aws:PrincipalOrgID\":"
                + " \"o-a1b2c3d4e5\"}}}");

    assertThat(check(policy, "KeyPolicyPublic")).isEqualTo("PASS");
    Run analyzed = analyze(policy);
    assertThat(analyzed.out()).contains("Public: no (NOT_PUBLIC)");
    JsonNode d = evaluate(policy, "kms:Decrypt", List.of("arn:aws:iam::999999999999:root")).get(0);
    assertThat(d.get("decision").asText()).isEqualTo("EXPLICITLY_DENIED");
  }
}
