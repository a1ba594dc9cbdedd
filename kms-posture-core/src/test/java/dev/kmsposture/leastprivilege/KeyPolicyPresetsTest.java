package dev.kmsposture.leastprivilege;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The presets, statement by statement against the reference architecture (KMS checklist, issue 4),
 * and byte for byte against golden files.
 */
class KeyPolicyPresetsTest {
  static final AccountId ACCOUNT = AccountId.of("111122223333");
  static final String APP = "arn:aws:iam::111122223333:role/prod-payments-app";
  static final String BACKUP = "arn:aws:iam::111122223333:role/prod-backup";
  static final String AUDIT = "arn:aws:iam::111122223333:role/security-audit";
  static final String ADMIN = "arn:aws:iam::111122223333:role/security-admin";

  static BuiltKeyPolicy production() {
    return KeyPolicyPresets.productionData(
        ACCOUNT,
        APP,
        List.of(AwsService.S3, AwsService.RDS),
        List.of("us-east-1"),
        BACKUP,
        AUDIT,
        ADMIN);
  }

  static String golden(String name) throws IOException {
    try (InputStream in =
        KeyPolicyPresetsTest.class.getResourceAsStream("/golden/" + name + ".json")) {
      return new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Statement stmt(String sid) {
    return production().policy().statement(sid).orElseThrow();
  }

  static List<String> principals(Statement s) {
    return s.principals().stream().map(p -> p.value()).collect(Collectors.toList());
  }

  static List<String> allPrincipals(KeyPolicy p) {
    return p.statements().stream()
        .flatMap(s -> s.principals().stream())
        .map(x -> x.value())
        .distinct()
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void productionData_matchesGoldenFileByteForByte() throws IOException {
    assertThat(production().toJson()).isEqualTo(golden("production-data"));
  }

  @Test
  void awsDefault_matchesGoldenFileByteForByte() throws IOException {
    assertThat(KeyPolicyPresets.awsDefault(ACCOUNT).toJson()).isEqualTo(golden("aws-default"));
  }

  @Test
  void awsDefault_carriesExactlyTheRootDelegationFinding() {
    assertThat(KeyPolicyPresets.awsDefault(ACCOUNT).findings())
        .extracting(BuilderFinding::code)
        .containsExactly(BuilderFinding.Code.ROOT_DELEGATION);
  }

  @Test
  void awsDefault_isEquivalentToTheDocumentedDefaultPolicy() {
    KeyPolicy documented =
        KeyPolicy.parse(
            "{\"Version\":\"2012-10-17\",\"Id\":\"key-default-1\",\"Statement\":[{\"Sid\":\"Enable"
                + " IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");
    assertThat(KeyPolicyPresets.awsDefault(ACCOUNT).policy()).isEqualTo(documented);
  }

  // Reference architecture, property by property.

  @Test
  void productionData_carriesNoFinding() {
    assertThat(production().findings()).isEmpty();
  }

  @Test
  void productionData_namesOnlyTheFourRolesAndTheRootForBreakGlass() {
    assertThat(allPrincipals(production().policy()))
        .containsExactlyInAnyOrder(ACCOUNT.rootArn(), APP, BACKUP, ADMIN, AUDIT);
  }

  @Test
  void productionData_noStatementGivesKmsAll() {
    assertThat(production().policy().statements())
        .flatExtracting(Statement::actions)
        .noneMatch(KmsAction::isWildcard);
  }

  @Test
  void productionData_securityAdminHasFullAdministrationInASeparateStatement() {
    Statement s = stmt("KeyAdministrators");
    assertThat(principals(s)).containsExactly(ADMIN);
    assertThat(s.actions()).isEqualTo(Actions.ADMINISTRATION).contains(KmsAction.PUT_KEY_POLICY);
    assertThat(s.conditions()).isEmpty();
  }

  @Test
  void productionData_securityAdminCannotUseTheKey() {
    assertThat(production().policy().statements())
        .filteredOn(s -> s.principals().stream().anyMatch(p -> p.value().equals(ADMIN)))
        .flatExtracting(Statement::actions)
        .noneMatch(KmsAction::isCryptographic)
        .doesNotContain(KmsAction.CREATE_GRANT);
  }

  @Test
  void productionData_breakGlassIsRootRestrictedToSecurityAdminWithoutUse() {
    Statement s = stmt("BreakGlassRoot");
    assertThat(principals(s)).containsExactly(ACCOUNT.rootArn());
    assertThat(s.actions()).isEqualTo(Actions.ADMINISTRATION);
    assertThat(s.conditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.operator().name()).isEqualTo("ArnEquals");
              assertThat(c.key().name()).isEqualTo("aws:PrincipalArn");
              assertThat(c.valueTexts()).containsExactly(ADMIN);
            });
  }

  @Test
  void productionData_applicationAndBackupUseOnlyThroughNamedServices() {
    for (String sid : List.of("KeyUsersViaS3", "KeyUsersViaRds")) {
      Statement s = stmt(sid);
      assertThat(principals(s)).containsExactly(BACKUP, APP);
      assertThat(s.actions()).isEqualTo(KeyKind.SYMMETRIC_DEFAULT.userActions());
      assertThat(s.conditions())
          .extracting(c -> c.operator() + " " + c.key() + " " + c.valueTexts())
          .containsExactly(
              "StringEquals kms:CallerAccount [111122223333]",
              "StringEquals kms:ViaService ["
                  + (sid.endsWith("S3") ? "s3" : "rds")
                  + ".us-east-1.amazonaws.com]");
    }
  }

  @Test
  void productionData_everyUseStatementIsRestricted() {
    assertThat(production().policy().statements())
        .filteredOn(s -> s.actions().stream().anyMatch(KmsAction::isCryptographic))
        .allSatisfy(
            s -> assertThat(s.conditions()).anyMatch(c -> c.key().sameKeyAs("kms:ViaService")));
  }

  @Test
  void productionData_grantsOnlyForAwsResources() {
    Statement s = stmt("GrantsForAwsResources");
    assertThat(principals(s)).containsExactly(BACKUP, APP);
    assertThat(s.actions())
        .containsExactly(KmsAction.CREATE_GRANT, KmsAction.LIST_GRANTS, KmsAction.REVOKE_GRANT);
    assertThat(s.conditions())
        .extracting(c -> c.operator() + " " + c.key() + " " + c.valueTexts())
        .containsExactly("Bool kms:GrantIsForAWSResource [true]");
  }

  @Test
  void productionData_auditRoleReadsRotationStatusAndNothingElseThanReads() {
    Statement s = stmt("AuditorsReadOnly");
    assertThat(principals(s)).containsExactly(AUDIT);
    assertThat(s.actions())
        .contains(KmsAction.GET_KEY_ROTATION_STATUS, KmsAction.GET_KEY_POLICY)
        .noneMatch(KmsAction::isCryptographic)
        .doesNotContain(KmsAction.PUT_KEY_POLICY, KmsAction.GET_PUBLIC_KEY);
  }

  @Test
  void productionData_statementsInCanonicalOrder() {
    assertThat(production().policy().statements())
        .extracting(Statement::sid)
        .containsExactly(
            "BreakGlassRoot",
            "KeyAdministrators",
            "KeyUsersViaRds",
            "KeyUsersViaS3",
            "GrantsForAwsResources",
            "AuditorsReadOnly");
  }

  @Test
  void productionData_applicationRoleAlsoSecurityAdmin_refusesAdminCanUse() {
    assertThatThrownBy(
            () ->
                KeyPolicyPresets.productionData(
                    ACCOUNT,
                    ADMIN,
                    List.of(AwsService.S3),
                    List.of("us-east-1"),
                    BACKUP,
                    AUDIT,
                    ADMIN))
        .isInstanceOf(InsecurePolicyException.class)
        .hasMessageContaining(
            "principal [arn:aws:iam::111122223333:role/security-admin] administers the key");
  }

  @Test
  void productionData_accessAnalysisHasNoVerdict() {
    // when
    AccessAnalysis a = AccessAnalysis.of(production().policy(), ACCOUNT);
    // then
    assertThat(a.isPublic()).isFalse();
    assertThat(a.lockoutRisk()).isFalse();
    assertThat(a.adminsWhoCanUse()).isEmpty();
    assertThat(a.usageWithoutViaService()).isEmpty();
    assertThat(a.createGrantWithoutAwsResourceCondition()).isEmpty();
    assertThat(a.canPutKeyPolicy(ADMIN).passes()).isTrue();
  }

  @Test
  void awsDefault_accessAnalysisVerdictsAllRestOnTheOneRootStatement() {
    // when
    AccessAnalysis a = AccessAnalysis.of(KeyPolicyPresets.awsDefault(ACCOUNT).policy(), ACCOUNT);
    // then
    assertThat(a.isPublic()).isFalse();
    assertThat(a.lockoutRisk()).isFalse();
    assertThat(a.adminsWhoCanUse())
        .singleElement()
        .satisfies(
            pa ->
                assertThat(pa.reasons())
                    .extracting(r -> r.place().sid())
                    .containsOnly("Enable IAM User Permissions"));
    assertThat(a.usageWithoutViaService())
        .extracting(r -> r.place().sid())
        .containsExactly("Enable IAM User Permissions");
  }
}
