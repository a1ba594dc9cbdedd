package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.LockoutCheck;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * The key-policy lockout safety check accepts exactly the policies under which the caller keeps
 * {@code kms:PutKeyPolicy}: as core's {@link AccessAnalysis#canPutKeyPolicy(String)} judges it
 * (Denies with {@code NotPrincipal} included), and as the policy then actually behaves when the KMS
 * enforces it (the caller's IAM policy allows everything, so only the key policy decides).
 */
class LockoutCheckProperties {
  static final String ACCOUNT = "123456789012";
  static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
  static final String BOB = "arn:aws:iam::" + ACCOUNT + ":role/bob";
  static final String ALLOW_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

  private final LocalKms checking =
      LocalKms.builder().caller("AKIAALICE", Caller.of(ALICE)).build();
  private final LocalKms enforcing =
      LocalKms.builder()
          .caller("AKIAALICE", Caller.of(ALICE))
          .enforcePolicies(true)
          .identityPolicy(ALICE, ALLOW_ALL)
          .build();
  private final KmsClient alice = checking.kmsClient(Region.US_EAST_1, "AKIAALICE");
  private final KmsClient root = enforcing.kmsClient(Region.US_EAST_1);
  private final KmsClient enforcedAlice = enforcing.kmsClient(Region.US_EAST_1, "AKIAALICE");

  @AfterEach
  void close() {
    alice.close();
    root.close();
    enforcedAlice.close();
  }

  static Gen<String> principals() {
    return Generate.pick(
        List.of(
            "\"" + ALICE + "\"",
            "\"" + BOB + "\"",
            "\"arn:aws:iam::" + ACCOUNT + ":root\"",
            "\"" + ACCOUNT + "\"",
            "\"arn:aws:iam::210987654321:root\"",
            "\"arn:aws:iam::" + ACCOUNT + ":user/mallory\"",
            "\"*\"",
            "[\"" + ALICE + "\",\"" + BOB + "\"]"));
  }

  static Gen<String> actions() {
    return Generate.pick(
        List.of(
            "\"kms:PutKeyPolicy\"",
            "\"kms:*\"",
            "\"kms:Put*\"",
            "\"kms:Decrypt\"",
            "\"*\"",
            "[\"kms:Decrypt\",\"kms:PutKeyPolicy\"]",
            "\"kms:GetKeyPolicy\""));
  }

  /**
   * A statement: Allow (sometimes with a condition every caller here meets) or an unconditional
   * Deny, with Principal or (for Deny) NotPrincipal.
   */
  static Gen<String> statements() {
    return Generate.range(0, 9)
        .zip(
            principals(),
            actions(),
            Generate.booleans(),
            (kind, principal, action, conditioned) -> {
              boolean deny = kind >= 7;
              boolean notPrincipal = kind == 8;
              String condition =
                  !deny && conditioned
                      ? ",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\""
                          + ACCOUNT
                          + "\"}}"
                      : "";
              return "{\"Effect\":\""
                  + (deny ? "Deny" : "Allow")
                  + "\",\""
                  + (notPrincipal ? "NotPrincipal" : "Principal")
                  + "\":{\"AWS\":"
                  + principal
                  + "},\"Action\":"
                  + action
                  + ",\"Resource\":\"*\""
                  + condition
                  + "}";
            });
  }

  static Gen<String> policies() {
    return SourceDSL.lists()
        .of(statements())
        .ofSizeBetween(1, 4)
        .map(s -> "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", s) + "]}");
  }

  @Test
  void lockoutCheck_acceptsExactlyThePoliciesUnderWhichTheCallerKeepsPutKeyPolicy() {
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger notPrincipalDenies = new AtomicInteger();
    String checkedKey = alice.createKey().keyMetadata().keyId();
    qt().withExamples(250)
        .forAll(policies())
        .checkAssert(
            policy -> {
              KeyPolicy parsed = KeyPolicy.parse(policy);
              if (parsed.statements().stream().anyMatch(s -> !s.isAllow() && s.isNotPrincipal())) {
                notPrincipalDenies.incrementAndGet();
              }
              // as core's analysis judges it: every condition here is one alice meets or does not
              // by who she is, so the analysis must decide
              LockoutCheck check =
                  AccessAnalysis.of(parsed, AccountId.of(ACCOUNT)).canPutKeyPolicy(ALICE);
              assertThat(check.verdict())
                  .as("core's caller check for %s: %s", policy, check.explanation())
                  .isIn(LockoutCheck.Verdict.PASSES, LockoutCheck.Verdict.FAILS);
              boolean keeps = check.passes();
              boolean wasAccepted = putPolicy(alice, checkedKey, policy, false);
              assertThat(wasAccepted)
                  .as("lockout check vs AccessAnalysis (%s) for %s", check.explanation(), policy)
                  .isEqualTo(keeps);
              // as the policy behaves once in force: alice can (or cannot) change it again
              String key = root.createKey().keyMetadata().keyId();
              assertThat(putPolicy(root, key, policy, true)).isTrue();
              boolean stillCan = putPolicy(enforcedAlice, key, policy, true);
              assertThat(stillCan)
                  .as("enforced PutKeyPolicy by alice under %s", policy)
                  .isEqualTo(keeps);
              (keeps ? accepted : refused).incrementAndGet();
            });
    assertThat(accepted.get()).isGreaterThan(30);
    assertThat(refused.get()).isGreaterThan(30);
    assertThat(notPrincipalDenies.get()).as("NotPrincipal Denies generated").isGreaterThan(10);
  }

  /** Whether PutKeyPolicy succeeded; a refusal must be the lockout check or an access denial. */
  private static boolean putPolicy(KmsClient client, String keyId, String policy, boolean bypass) {
    try {
      client.putKeyPolicy(
          b -> b.keyId(keyId).policy(policy).bypassPolicyLockoutSafetyCheck(bypass));
      return true;
    } catch (KmsException e) {
      String code = e.awsErrorDetails().errorCode();
      if (code.equals("MalformedPolicyDocumentException")) {
        assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo(
                "The new key policy will not allow you to update the key policy in the future.");
      } else {
        assertThat(code).isEqualTo("AccessDeniedException");
      }
      return false;
    }
  }
}
