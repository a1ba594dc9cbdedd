package dev.kmsposture.examples;

import static dev.kmsposture.testkit.assertj.KmsPostureAssertions.assertThat;
import static dev.kmsposture.testkit.generators.KmsSource.Kind.ACCOUNT_IDS;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.testkit.generators.KmsGenerators;
import dev.kmsposture.testkit.generators.KmsSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Asserting on the key policy a service generates, with the testkit's assertions and generators.
 */
class ServiceKeyPolicyTest {
  private static final AccountId ACCOUNT = AccountId.of("111122223333");
  private static final String ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  private static final String APP = "arn:aws:iam::111122223333:role/App";

  private final KeyPolicy policy = ServiceKeyPolicy.forService(ACCOUNT, "us-east-1", ADMIN, APP);

  @Test
  void policy_isLeastPrivilege() {
    assertThat(policy)
        .isNotPublic()
        .hasNoFindingsAtLeast(Severity.RECOMMENDED)
        .grantsOnly(ADMIN, APP)
        .allows(ADMIN, "kms:PutKeyPolicy")
        .returnToPolicy()
        .denies(APP, "kms:PutKeyPolicy");
  }

  @Test
  void policy_appUsesTheKeyOnlyThroughS3() {
    assertThat(policy)
        .denies(APP, "kms:Decrypt")
        .when("kms:ViaService", "ec2.us-east-1.amazonaws.com")
        .returnToPolicy()
        .withContext("kms:ViaService", "s3.us-east-1.amazonaws.com")
        .allows(APP, "kms:Decrypt")
        .decision()
        .isAllowed();
  }

  // Property style, with no property-testing library: the policy is sound in any account.
  @ParameterizedTest
  @KmsSource(value = ACCOUNT_IDS, count = 25, seed = 2026L)
  void policy_inAnyAccount_passesTheCriticalRules(AccountId account) {
    String admin = "arn:aws:iam::" + account.value() + ":role/KeyAdmin";
    String app = "arn:aws:iam::" + account.value() + ":role/App";
    assertThat(ServiceKeyPolicy.forService(account, "eu-west-1", admin, app))
        .inAccount(account)
        .isNotPublic()
        .hasNoFindingsAtLeast(Severity.CRITICAL);
  }

  // Generated requests against the key (callers in the account, partners, strangers, services,
  // anonymous; every action; varied contexts): only the two named roles, or their sessions, are
  // ever allowed.
  @Test
  void policy_generatedRequests_onlyTheNamedRolesAreAllowed() {
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder()
            .keyPolicy(policy)
            .keyArn("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
            .build();
    int allowed = 0;
    for (AccessRequest request :
        KmsGenerators.accessRequests().forAccount(ACCOUNT).samples(7L, 500)) {
      if (evaluator.evaluate(request).isAllowed()) {
        allowed++;
        org.assertj.core.api.Assertions.assertThat(roleOf(request.principal())).isIn(ADMIN, APP);
      }
    }
    // Some requests must be allowed, or the check above would pass vacuously.
    org.assertj.core.api.Assertions.assertThat(allowed).isPositive();
  }

  /** The role an assumed-role session acts as; any other principal as it is. */
  private static String roleOf(String principal) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("arn:([^:]+):sts::(\\d{12}):assumed-role/([^/]+)/.*")
            .matcher(principal);
    return m.matches()
        ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3)
        : principal;
  }
}
