package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.awsManaged;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.rootAnd;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyPolicyLockoutRiskTest {
  private static final KeyPolicyLockoutRisk RULE = new KeyPolicyLockoutRisk();

  @Test
  void check_onlyDeletedAdministrator_failsAtItsStatement() {
    // given
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "AROAEXAMPLEDELETED01"},
           "Action": "kms:*", "Resource": "*"},
          {"Sid": "Use", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
           "Action": "kms:Decrypt", "Resource": "*"}
        ]}""";

    // when
    List<Finding> findings = check(RULE, cmk("prod-archive").policy(policy).snapshot());

    // then
    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith("Nobody can change the key policy of the CMK named prod-archive: ")
        .contains("AROAEXAMPLEDELETED01");
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("Admin");
  }

  @Test
  void check_denyPutKeyPolicyToEveryone_failsAtTheDeny() {
    String deny =
        """
        {"Sid": "Freeze", "Effect": "Deny", "Principal": "*",
         "Action": "kms:PutKeyPolicy", "Resource": "*"}""";

    List<Finding> findings = check(RULE, cmk("prod-archive").policy(rootAnd(deny)).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("Freeze");
    assertThat(findings.get(0).message()).contains("A Deny statement takes kms:PutKeyPolicy");
  }

  @Test
  void check_onlyExternalAdministrator_failsBecausePutKeyPolicyIsNotCrossAccount() {
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "PartnerAdmin", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
           "Action": "kms:*", "Resource": "*"}
        ]}""";

    List<Finding> findings = check(RULE, cmk("prod-archive").policy(policy).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("which does not work across accounts");
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("PartnerAdmin");
  }

  @Test
  void check_defaultPolicy_passes() {
    List<Finding> findings = check(RULE, cmk("prod-archive").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .startsWith("Someone can still change the key policy of the CMK named prod-archive: ");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("ebs").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyNotCollected_isUnknown() {
    assertThat(check(RULE, cmk("prod-archive").policy(null).snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.UNKNOWN);
  }
}
