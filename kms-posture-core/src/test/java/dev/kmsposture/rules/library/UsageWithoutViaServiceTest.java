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

class UsageWithoutViaServiceTest {
  private static final UsageWithoutViaService RULE = new UsageWithoutViaService();

  private static final String DIRECT_USE =
      """
      {"Sid": "AppUse", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
       "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}""";
  private static final String VIA_S3 =
      """
      {"Sid": "AppUse", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
       "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*",
       "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}}""";

  @Test
  void check_s3TaggedKeyWithDirectUse_failsAtTheStatement() {
    // given
    var snapshot =
        cmk("prod-uploads")
            .tags("{\"Purpose\": \"S3 bucket encryption\"}")
            .policy(rootAnd(DIRECT_USE))
            .snapshot();

    // when
    List<Finding> findings = check(RULE, snapshot);

    // then
    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "The CMK named prod-uploads is meant for an AWS service (its Purpose tag names s3),"
                + " but statement #1 [AppUse]")
        .contains("without a kms:ViaService condition");
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("AppUse");
  }

  @Test
  void check_serviceResourcesAndViaService_passes() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-uploads")
                .resources("[\"arn:aws:s3:::prod-uploads-bucket\"]")
                .policy(rootAnd(VIA_S3))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .startsWith(
            "The CMK named prod-uploads is meant for an AWS service (resources of s3 use it)");
  }

  @Test
  void check_descriptionNamesService_applies() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-db")
                .description("Encrypts the orders RDS cluster")
                .policy(rootAnd(DIRECT_USE))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("its description names rds");
  }

  @Test
  void check_viaServiceElsewhereInPolicy_applies() {
    String other = DIRECT_USE.replace("AppUse", "Batch").replace("role/App", "role/Batch");

    List<Finding> findings =
        check(RULE, cmk("prod-misc").policy(rootAnd(VIA_S3, other)).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("Batch");
  }

  @Test
  void check_noSignOfServicePurpose_isNotApplicable() {
    List<Finding> findings =
        check(RULE, cmk("prod-signing").policy(rootAnd(DIRECT_USE)).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.NOT_APPLICABLE);
    assertThat(findings.get(0).message())
        .startsWith(
            "There is no sign that the purpose of the CMK named prod-signing is an AWS service");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("s3").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyNotCollected_isUnknown() {
    assertThat(
            check(RULE, cmk("prod-uploads").tags("{\"Service\": \"s3\"}").policy(null).snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.UNKNOWN);
  }
}
