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

class KeyPolicyInvalidTest {
  private static final KeyPolicyInvalid RULE = new KeyPolicyInvalid();

  @Test
  void check_policyThatDoesNotParse_failsWithPointer() {
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": "kms:*", "Resource": "*"},
          {"Sid": "Bad", "Effect": "Permit", "Principal": "*", "Action": "kms:Decrypt",
           "Resource": "*"}
        ]}""";

    List<Finding> findings = check(RULE, cmk("prod-import").policy(policy).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message())
        .startsWith("The key policy of the CMK named prod-import does not parse at /Statement/1")
        .endsWith("KMS would not accept this policy");
    assertThat(requireNonNull(findings.get(0).location()).place().index()).isEqualTo(1);
    assertThat(findings.get(0).location().place().pointer()).startsWith("/Statement/1");
  }

  @Test
  void check_allowWithNotPrincipal_failsAtTheStatement() {
    String notPrincipal =
        """
        {"Sid": "AllBut", "Effect": "Allow",
         "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Intruder"},
         "Action": "kms:Decrypt", "Resource": "*"}""";

    List<Finding> findings =
        check(RULE, cmk("prod-import").policy(rootAnd(notPrincipal)).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    Finding f = findings.get(0);
    assertThat(f.message())
        .startsWith("The key policy of the CMK named prod-import has a critical issue at")
        .contains("ALLOW_WITH_NOT_PRINCIPAL");
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("AllBut");
    assertThat(f.location().place().index()).isEqualTo(1);
  }

  @Test
  void check_statementWithoutResource_fails() {
    String noResource =
        """
        {"Sid": "NoResource", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt"}""";

    List<Finding> findings = check(RULE, cmk("prod-import").policy(rootAnd(noResource)).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("MISSING_RESOURCE");
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("NoResource");
  }

  @Test
  void check_defaultPolicy_passes() {
    List<Finding> findings = check(RULE, cmk("prod-import").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "The key policy of the CMK named prod-import parses, and validation finds no critical"
                + " or recommended issue");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("ebs").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyUnreadable_isUnknown() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-import")
                .policy(null)
                .unreadable("POLICY", "AccessDeniedException")
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.UNKNOWN);
    assertThat(findings.get(0).message()).contains("could not be read: AccessDeniedException");
  }
}
