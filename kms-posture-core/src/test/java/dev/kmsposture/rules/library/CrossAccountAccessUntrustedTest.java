package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.awsManaged;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.rootAnd;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrossAccountAccessUntrustedTest {
  private static final CrossAccountAccessUntrusted RULE = new CrossAccountAccessUntrusted();

  private static final String PARTNER =
      """
      {"Sid": "Partner", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::444455556666:role/Partner"},
       "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}""";

  private static List<Finding> checkPolicy(String policy, PostureConfig config) {
    return check(RULE, cmk("prod-shared").policy(policy).snapshot(), config);
  }

  @Test
  void check_untrustedPartnerRole_failsForItsAccount() {
    List<Finding> findings = checkPolicy(rootAnd(PARTNER), PostureConfig.defaults());

    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "The key policy of the CMK named prod-shared gives access to account 444455556666,"
                + " which is not a trusted account: statement #1 [Partner]");
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("Partner");
    assertThat(f.item()).isEqualTo("account 444455556666");
  }

  @Test
  void check_oneTrustedOneUntrustedAccount_failsOnlyForTheUntrusted() {
    // given
    String vendor =
        """
        {"Sid": "Vendor", "Effect": "Allow",
         "Principal": {"AWS": ["arn:aws:iam::777788889999:role/Vendor"]},
         "Action": "kms:Decrypt", "Resource": "*"}""";
    PostureConfig config = PostureConfig.parse("trustedAccounts: ['444455556666']");

    // when
    List<Finding> findings = checkPolicy(rootAnd(PARTNER, vendor), config);

    // then
    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).item()).isEqualTo("account 777788889999");
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("Vendor");
  }

  @Test
  void check_trustedPartnerAccount_passes() {
    PostureConfig config = PostureConfig.parse("trustedAccounts: ['444455556666']");

    List<Finding> findings = checkPolicy(rootAnd(PARTNER), config);

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "The key policy of the CMK named prod-shared gives cross-account access only to"
                + " trusted accounts [444455556666]");
  }

  @Test
  void check_defaultPolicy_passes() {
    List<Finding> findings =
        checkPolicy(PolicyRuleFixtures.DEFAULT_POLICY, PostureConfig.defaults());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "The key policy of the CMK named prod-shared gives no access outside account"
                + " 111122223333");
  }

  @Test
  void check_wildcardPinnedToOtherCallerAccount_failsForThatAccount() {
    String pinned =
        """
        {"Sid": "ViaS3", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"kms:CallerAccount": "444455556666",
                                        "kms:ViaService": "s3.us-east-1.amazonaws.com"}}}""";

    List<Finding> findings = checkPolicy(rootAnd(pinned), PostureConfig.defaults());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).item()).isEqualTo("account 444455556666");
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("ViaS3");
  }

  @Test
  void check_accountPinnedToTrustedOrganization_passes() {
    String orgPinned =
        """
        {"Sid": "OrgPartner", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
         "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}""";
    PostureConfig config = PostureConfig.parse("trustedOrganizations: ['o-a1b2c3d4e5']");

    List<Finding> findings = checkPolicy(rootAnd(orgPinned), config);

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
  }

  @Test
  void check_wildcardPinnedToUntrustedOrganization_failsForTheStatement() {
    String org =
        """
        {"Sid": "Org", "Effect": "Allow", "Principal": "*",
         "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-zzzzzzzzzz"}}}""";

    List<Finding> findings = checkPolicy(rootAnd(org), PostureConfig.defaults());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message())
        .contains("reaches principals in accounts it does not name: statement #1 [Org]");
  }

  @Test
  void check_publicStatement_isLeftToKeyPolicyPublic() {
    String everyone =
        """
        {"Sid": "Everyone", "Effect": "Allow", "Principal": "*",
         "Action": "kms:Decrypt", "Resource": "*"}""";

    List<Finding> findings = checkPolicy(rootAnd(everyone), PostureConfig.defaults());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message()).contains("which KeyPolicyPublic reports");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("s3").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyNotCollected_isUnknown() {
    List<Finding> findings = check(RULE, cmk("prod-shared").policy(null).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.UNKNOWN);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "Cannot judge the key policy of the CMK named prod-shared: the key policy was not"
                + " collected in the snapshot");
  }
}
