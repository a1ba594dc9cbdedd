package dev.kmsposture.testkit.assertj;

import static dev.kmsposture.testkit.assertj.KmsPostureAssertions.assertThat;
import static dev.kmsposture.testkit.assertj.KmsPostureAssertions.then;
import static dev.kmsposture.testkit.assertj.Policies.ACCOUNT;
import static dev.kmsposture.testkit.assertj.Policies.ADMIN;
import static dev.kmsposture.testkit.assertj.Policies.APP;
import static dev.kmsposture.testkit.assertj.Policies.BATCH;
import static dev.kmsposture.testkit.assertj.Policies.LEAST_PRIVILEGE;
import static dev.kmsposture.testkit.assertj.Policies.PARTNER;
import static dev.kmsposture.testkit.assertj.Policies.PUBLIC;
import static dev.kmsposture.testkit.assertj.Policies.VIA_S3;
import static dev.kmsposture.testkit.assertj.Policies.WITH_PARTNER;
import static dev.kmsposture.testkit.assertj.Policies.WITH_VPC_DENY;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Severity;
import org.junit.jupiter.api.Test;

class KeyPolicyAssertTest {

  // ---- allows / denies

  @Test
  void allows_namedRole_passes() {
    assertThat(LEAST_PRIVILEGE)
        .allows(APP, "kms:Decrypt")
        .returnToPolicy()
        .allows(ADMIN, KmsAction.PUT_KEY_POLICY);
  }

  @Test
  void allows_unnamedRole_failsWithTheNearestMiss() {
    Throwable thrown =
        catchThrowable(() -> assertThat(LEAST_PRIVILEGE).allows(APP, "kms:PutKeyPolicy"));

    Snapshots.assertMessage("allows_implicitlyDenied", thrown);
  }

  @Test
  void allows_otherAccount_failsWithNoStatement() {
    Throwable thrown =
        catchThrowable(() -> assertThat(LEAST_PRIVILEGE).allows(PARTNER, "kms:Decrypt"));

    Snapshots.assertMessage("allows_noStatement", thrown);
  }

  @Test
  void allows_conditionalGrant_passesWithTheContextFirst() {
    assertThat(LEAST_PRIVILEGE).withContext("kms:ViaService", VIA_S3).allows(BATCH, "kms:Decrypt");
  }

  @Test
  void allows_conditionalGrantWithoutContext_failsNamingTheCondition() {
    Throwable thrown =
        catchThrowable(() -> assertThat(LEAST_PRIVILEGE).allows(BATCH, "kms:Decrypt"));

    Snapshots.assertMessage("allows_conditionNotMet", thrown);
  }

  @Test
  void allowsWhen_contextTheDenyIgnores_passes() {
    assertThat(WITH_VPC_DENY)
        .withContext("aws:SourceVpce", "vpce-1a2b3c4d")
        .allows(APP, "kms:Decrypt")
        .when("kms:EncryptionContext:app", "billing");
  }

  @Test
  void allowsWhen_contextTheDenyCatches_failsNamingTheDeny() {
    Throwable thrown =
        catchThrowable(
            () ->
                assertThat(WITH_VPC_DENY)
                    .withContext("aws:SourceVpce", "vpce-1a2b3c4d")
                    .allows(APP, "kms:Decrypt")
                    .when("aws:SourceVpce", "vpce-other"));

    Snapshots.assertMessage("allowsWhen_explicitlyDenied", thrown);
  }

  @Test
  void denies_unnamedRole_passes() {
    assertThat(LEAST_PRIVILEGE)
        .denies(PARTNER, "kms:Decrypt")
        .returnToPolicy()
        .denies(BATCH, "kms:Decrypt")
        .when("kms:ViaService", "ec2.us-east-1.amazonaws.com");
  }

  @Test
  void denies_allowedRequest_failsNamingTheAllowingStatement() {
    Throwable thrown = catchThrowable(() -> assertThat(LEAST_PRIVILEGE).denies(APP, "kms:Decrypt"));

    Snapshots.assertMessage("denies_allowed", thrown);
  }

  @Test
  void denies_requestLeftToIam_fails() {
    Throwable thrown =
        catchThrowable(() -> assertThat(PUBLIC).denies(ADMIN, "kms:ScheduleKeyDeletion"));

    Snapshots.assertMessage("denies_leftToIam", thrown);
  }

  @Test
  void allows_decision_canBeInspected() {
    assertThat(LEAST_PRIVILEGE)
        .allows(APP, "kms:Decrypt")
        .decision()
        .isAllowed()
        .isDecidedByStatement("KeyUsers");
  }

  // ---- public, grantees

  @Test
  void isNotPublic_leastPrivilege_passes() {
    assertThat(LEAST_PRIVILEGE).isNotPublic();
  }

  @Test
  void isNotPublic_publicStatement_failsNamingIt() {
    Throwable thrown = catchThrowable(() -> assertThat(PUBLIC).isNotPublic());

    Snapshots.assertMessage("isNotPublic", thrown);
  }

  @Test
  void grantsOnly_everyNamedPrincipal_passes() {
    assertThat(LEAST_PRIVILEGE).grantsOnly(ADMIN, APP, BATCH);
    assertThat(PUBLIC).grantsOnly("111122223333", "*");
  }

  @Test
  void grantsOnly_otherPrincipals_failsListingThem() {
    Throwable thrown = catchThrowable(() -> assertThat(PUBLIC).grantsOnly(ADMIN));

    Snapshots.assertMessage("grantsOnly", thrown);
  }

  // ---- rules

  @Test
  void hasNoFindingsAtLeast_builderPolicy_passes() {
    assertThat(KeyPolicyBuilder.forAccount(ACCOUNT).administrators(ADMIN).users(APP).buildPolicy())
        .hasNoFindingsAtLeast(Severity.RECOMMENDED);
  }

  @Test
  void hasNoFindingsAtLeast_publicPolicy_failsListingTheFindings() {
    Throwable thrown =
        catchThrowable(() -> assertThat(PUBLIC).hasNoFindingsAtLeast(Severity.CRITICAL));

    Snapshots.assertMessage("hasNoFindingsAtLeast", thrown);
  }

  @Test
  void hasNoFindingsAtLeast_trustedPartner_passesWithTheConfig() {
    assertThat(WITH_PARTNER)
        .inAccount(ACCOUNT)
        .withConfig(PostureConfig.parse("trustedAccounts: [\"444455556666\"]"))
        .hasNoFindingsAtLeast(Severity.CRITICAL);
  }

  // ---- changes

  @Test
  void grantsNoNewAccessComparedTo_sameAccess_passes() {
    assertThat(WITH_VPC_DENY).grantsNoNewAccessComparedTo(WITH_VPC_DENY);
  }

  @Test
  void grantsNoNewAccessComparedTo_addedPartner_failsListingTheNewAccess() {
    Throwable thrown =
        catchThrowable(
            () ->
                assertThat(WITH_PARTNER)
                    .inAccount(ACCOUNT)
                    .grantsNoNewAccessComparedTo(LEAST_PRIVILEGE));

    Snapshots.assertMessage("grantsNoNewAccessComparedTo", thrown);
  }

  // ---- navigation

  @Test
  void statement_bySid_navigatesAndReturns() {
    assertThat(LEAST_PRIVILEGE)
        .statement("KeyUsersViaS3")
        .isAllow()
        .hasCondition("StringEquals", "kms:ViaService")
        .returnToPolicy()
        .statement("KeyUsers")
        .hasNoCondition();
  }

  @Test
  void statement_missingSid_failsListingTheSids() {
    Throwable thrown = catchThrowable(() -> assertThat(LEAST_PRIVILEGE).statement("BreakGlass"));

    Snapshots.assertMessage("statement_missing", thrown);
  }

  // ---- the key and the description

  @Test
  void account_severalNamedAndNoneSet_failsAskingForIt() {
    assertThatThrownBy(() -> assertThat(WITH_PARTNER).isNotPublic())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cannot tell which account owns the key: the policy names accounts [111122223333,"
                + " 444455556666]; call inAccount(AccountId) or forKey(keyArn) first");
  }

  @Test
  void forKey_notAKeyArn_fails() {
    assertThatThrownBy(() -> assertThat(LEAST_PRIVILEGE).forKey("arn:aws:s3:::bucket"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "key ARN [arn:aws:s3:::bucket] is not valid; expected"
                + " arn:PARTITION:kms:REGION:ACCOUNT:key/ID");
  }

  @Test
  void description_isKeptByConfigurationMethods() {
    Throwable thrown =
        catchThrowable(
            () -> assertThat(PUBLIC).as("the prod key").inAccount(ACCOUNT).isNotPublic());

    org.assertj.core.api.Assertions.assertThat(thrown).hasMessageStartingWith("[the prod key] ");
  }

  @Test
  void then_isTheBddTwin() {
    then(LEAST_PRIVILEGE).isNotPublic().allows(APP, "kms:Encrypt");
  }
}
