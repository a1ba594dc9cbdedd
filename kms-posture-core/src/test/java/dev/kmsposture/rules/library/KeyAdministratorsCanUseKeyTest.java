package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.awsManaged;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.rootAnd;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyAdministratorsCanUseKeyTest {
  private static final KeyAdministratorsCanUseKey RULE = new KeyAdministratorsCanUseKey();

  private static final String ADMINS =
      """
      {"Sid": "Admins", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
       "Action": ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DescribeKey"],
       "Resource": "*"}""";
  private static final String USERS =
      """
      {"Sid": "Users", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
       "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}""";

  @Test
  void check_adminWhoCanDecrypt_failsForThatPrincipal() {
    // given
    String adminUses =
        """
        {"Sid": "AdminUse", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
         "Action": "kms:Decrypt", "Resource": "*"}""";

    // when
    List<Finding> findings =
        check(RULE, cmk("prod-ledger").policy(rootAnd(ADMINS, USERS, adminUses)).snapshot());

    // then
    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "In the key policy of the CMK named prod-ledger,"
                + " arn:aws:iam::111122223333:role/KeyAdmin can both administer and use the key")
        .contains("kms:PutKeyPolicy")
        .contains("kms:Decrypt")
        .endsWith(AccessAnalysis.SELF_GRANT_WARNING);
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("Admins");
    assertThat(f.item()).isEqualTo("arn:aws:iam::111122223333:role/KeyAdmin");
  }

  @Test
  void check_separateAdminsAndUsers_passesButQuotesTheWarning() {
    List<Finding> findings =
        check(RULE, cmk("prod-ledger").policy(rootAnd(ADMINS, USERS)).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .startsWith("No principal named in the key policy of the CMK named prod-ledger")
        .contains(AccessAnalysis.SELF_GRANT_WARNING);
  }

  @Test
  void check_rootKmsStar_isNotReportedHere() {
    List<Finding> findings = check(RULE, cmk("prod-ledger").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("s3").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyDoesNotParse_isUnknown() {
    List<Finding> findings =
        check(RULE, cmk("prod-ledger").policy("{\"Statement\": 7}").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.UNKNOWN);
    assertThat(findings.get(0).message())
        .startsWith(
            "Cannot judge the key policy of the CMK named prod-ledger: the key policy does not"
                + " parse");
  }
}
