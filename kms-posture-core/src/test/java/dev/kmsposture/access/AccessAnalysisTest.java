package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import org.junit.jupiter.api.Test;

class AccessAnalysisTest {

  private static final AccountId ACCOUNT = AccountId.of("111122223333");
  private static final String ROOT =
      "{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}";
  private static final String ADMIN =
      "{\"Sid\": \"Admins\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/KeyAdmin\"}, \"Action\": [\"kms:Create*\","
          + " \"kms:Describe*\", \"kms:Enable*\", \"kms:List*\", \"kms:Put*\", \"kms:Update*\","
          + " \"kms:Revoke*\", \"kms:Disable*\", \"kms:Get*\", \"kms:Delete*\","
          + " \"kms:TagResource\", \"kms:UntagResource\", \"kms:ScheduleKeyDeletion\","
          + " \"kms:CancelKeyDeletion\"], \"Resource\": \"*\"}";
  private static final String USE =
      "{\"Sid\": \"Use\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/App\"}, \"Action\": [\"kms:Encrypt\","
          + " \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:DescribeKey\"],"
          + " \"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"kms:ViaService\":"
          + " \"s3.us-east-1.amazonaws.com\"}}}";
  private static final String ATTACH =
      "{\"Sid\": \"Attach\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/App\"}, \"Action\": [\"kms:CreateGrant\","
          + " \"kms:ListGrants\", \"kms:RevokeGrant\"], \"Resource\": \"*\", \"Condition\":"
          + " {\"Bool\": {\"kms:GrantIsForAWSResource\": \"true\"}}}";

  private static AccessAnalysis analyse(String... statements) {
    String json =
        "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}";
    return AccessAnalysis.of(KeyPolicy.parse(json), ACCOUNT);
  }

  private static String allowStar(String actions, String condition) {
    return "{\"Sid\": \"Star\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": "
        + actions
        + ", \"Resource\": \"*\""
        + (condition.isEmpty() ? "" : ", \"Condition\": " + condition)
        + "}";
  }

  @Test
  void entries_defaultPolicy_listsAccountViaIamWithEveryKeyAction() {
    AccessAnalysis analysis = analyse(ROOT);

    assertThat(analysis.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.principal()).isEqualTo("account 111122223333 (via IAM)");
              assertThat(e.delegatedToIam()).isTrue();
              assertThat(e.actions()).contains(KmsAction.DECRYPT, KmsAction.PUT_KEY_POLICY);
              assertThat(e.actions()).doesNotContain(KmsAction.CREATE_KEY);
              assertThat(e.statements().get(0).toString())
                  .isEqualTo(
                      "/Statement/0 (Sid \"Root\"): allows every key action to account"
                          + " 111122223333 (via IAM)");
            });
  }

  @Test
  void entries_wildcardActionsAndConditions_expandedSortedAndRendered() {
    AccessAnalysis analysis = analyse(USE);

    AccessEntry row = analysis.entries().get(0);
    assertThat(row.principal()).isEqualTo("arn:aws:iam::111122223333:role/App");
    assertThat(row.actions())
        .extracting(KmsAction::name)
        .containsExactly(
            "kms:Decrypt",
            "kms:DescribeKey",
            "kms:Encrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyPair",
            "kms:GenerateDataKeyPairWithoutPlaintext",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo");
    assertThat(row.conditions())
        .containsExactly("StringEquals kms:ViaService [\"s3.us-east-1.amazonaws.com\"]");
    assertThat(row.delegatedToIam()).isFalse();
  }

  @Test
  void entries_sameStatementShapeTwice_mergedIntoOneRow() {
    AccessAnalysis analysis =
        analyse(
            "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/A\"},"
                + " \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"}",
            "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/A\"},"
                + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}");

    assertThat(analysis.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actions()).containsExactly(KmsAction.DECRYPT, KmsAction.ENCRYPT);
              assertThat(e.statements())
                  .extracting(r -> r.place().pointer())
                  .containsExactly("/Statement/0", "/Statement/1");
            });
  }

  @Test
  void ineffectiveStatements_missingResource_reportedAndGrantsNothing() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            "{\"Sid\": \"NoRes\", \"Effect\": \"Allow\", \"Principal\": \"*\","
                + " \"Action\": \"kms:Decrypt\"}");

    assertThat(analysis.isPublic()).isFalse();
    assertThat(analysis.ineffectiveStatements())
        .singleElement()
        .hasToString(
            "/Statement/1 (Sid \"NoRes\"): has no Resource or NotResource, so it has no effect"
                + " (KMS accepts it silently)");
  }

  @Test
  void isPublic_conditionWithEmptyValueList_notPublicBecauseNeverMatches() {
    AccessAnalysis analysis =
        analyse(ROOT, allowStar("\"kms:Decrypt\"", "{\"StringEquals\": {\"kms:ViaService\": []}}"));

    assertThat(analysis.isPublic()).isFalse();
    assertThat(analysis.ineffectiveStatements().get(0).message())
        .isEqualTo(
            "has the condition StringEquals kms:ViaService with no values, which never matches,"
                + " so it has no effect");
  }

  @Test
  void isPublic_denyToEveryone_notPublic() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\":"
                + " \"*\"}");

    assertThat(analysis.publicVerdict()).isEqualTo(PublicVerdict.NOT_PUBLIC);
    assertThat(analysis.publicReasons()).isEmpty();
  }

  @Test
  void isPublic_onlyNonKeyActions_notPublic() {
    AccessAnalysis analysis = analyse(ROOT, allowStar("[\"kms:CreateKey\", \"s3:GetObject\"]", ""));

    assertThat(analysis.isPublic()).isFalse();
    assertThat(analysis.ineffectiveStatements().get(0).message())
        .isEqualTo("names no KMS action that a key policy can authorize, so it has no effect");
  }

  @Test
  void publicVerdict_sourceVpce_notPublicAccountsUnknown() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"", "{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}"));

    assertThat(analysis.publicVerdict()).isEqualTo(PublicVerdict.NOT_PUBLIC_ACCOUNTS_UNKNOWN);
    assertThat(analysis.publicReasons().get(0).message())
        .endsWith(
            "StringEquals aws:SourceVpce [\"vpce-1a2b3c4d\"] narrows the caller to a network"
                + " origin; which accounts can call is unknown");
  }

  @Test
  void publicVerdict_narrowSourceIp_notPublicAccountsUnknown() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"IpAddress\": {\"aws:SourceIp\": [\"203.0.113.0/24\", \"2001:db8::/48\"]}}"));

    assertThat(analysis.publicVerdict()).isEqualTo(PublicVerdict.NOT_PUBLIC_ACCOUNTS_UNKNOWN);
  }

  @Test
  void isPublic_ipv6RangeBroaderThan32_public() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar("\"kms:Decrypt\"", "{\"IpAddress\": {\"aws:SourceIp\": \"2001::/16\"}}"));

    assertThat(analysis.isPublic()).isTrue();
    assertThat(analysis.publicStatements().get(0).message())
        .contains("[2001::/16] is broader than /32, so it does not name a known network");
  }

  @Test
  void isPublic_orgPathsWildcardAfterOrgId_notPublic() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"ForAnyValue:StringLike\": {\"aws:PrincipalOrgPaths\":"
                    + " \"o-a1b2c3d4e5/r-ab12/*\"}}"));

    assertThat(analysis.isPublic()).isFalse();
  }

  @Test
  void isPublic_principalArnPatternPinnedToAccount_notPublic() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::111122223333:role/app-*\"}}"));

    assertThat(analysis.isPublic()).isFalse();
    assertThat(analysis.isCrossAccount()).isFalse();
  }

  @Test
  void isPublic_policyVariableValue_public() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"StringEquals\": {\"aws:PrincipalAccount\": \"${aws:PrincipalAccount}\"}}"));

    assertThat(analysis.isPublic()).isTrue();
    assertThat(analysis.publicStatements().get(0).message())
        .contains("holds a policy variable, so it is not a fixed value");
  }

  @Test
  void isPublic_forAllValuesOnOrgPaths_public() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"ForAllValues:StringEquals\": {\"aws:PrincipalOrgPaths\": \"o-a1b2c3d4e5/r-ab12/\"}}"));

    assertThat(analysis.publicStatements().get(0).message())
        .contains("ForAllValues:StringEquals is true when the key is absent or empty");
  }

  @Test
  void isPublic_negatedOperator_public() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"StringNotEquals\": {\"kms:CallerAccount\": \"444455556666\"}}"));

    assertThat(analysis.publicStatements().get(0).message())
        .contains("StringNotEquals matches every value it does not list");
  }

  @Test
  void crossAccount_externalRole_listedWithAccountAndReason() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            "{\"Sid\": \"Partner\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
                + " \"arn:aws:iam::444455556666:role/Partner\"}, \"Action\": \"kms:Decrypt\","
                + " \"Resource\": \"*\"}");

    assertThat(analysis.isCrossAccount()).isTrue();
    assertThat(analysis.crossAccountPrincipals())
        .containsExactly("arn:aws:iam::444455556666:role/Partner");
    assertThat(analysis.externalAccounts()).containsExactly(AccountId.of("444455556666"));
    assertThat(analysis.crossAccountReasons().get(0).toString())
        .isEqualTo(
            "/Statement/1 (Sid \"Partner\"): allows kms:Decrypt to"
                + " arn:aws:iam::444455556666:role/Partner in account 444455556666, not the key's"
                + " account 111122223333");
  }

  @Test
  void crossAccount_wildcardPinnedToOtherCallerAccount_namesThatAccount() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"StringEquals\": {\"kms:CallerAccount\": \"444455556666\"}}"));

    assertThat(analysis.isPublic()).isFalse();
    assertThat(analysis.isCrossAccount()).isTrue();
    assertThat(analysis.externalAccounts()).containsExactly(AccountId.of("444455556666"));
    assertThat(analysis.crossAccountPrincipals()).containsExactly("anyone in account 444455556666");
  }

  @Test
  void crossAccount_wildcardPinnedToOwnAccount_notCrossAccount() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"StringEquals\": {\"kms:CallerAccount\": \"111122223333\"}}"));

    assertThat(analysis.isCrossAccount()).isFalse();
    assertThat(analysis.externalAccounts()).isEmpty();
  }

  @Test
  void crossAccount_wildcardNarrowedToOrganization_crossAccountWithAccountsUnknown() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar(
                "\"kms:Decrypt\"",
                "{\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}"));

    assertThat(analysis.isCrossAccount()).isTrue();
    assertThat(analysis.externalAccounts()).isEmpty();
    assertThat(analysis.crossAccountReasons().get(0).message())
        .endsWith(
            "StringEquals aws:PrincipalOrgID [\"o-a1b2c3d4e5\"] does not pin the caller to the"
                + " key's account");
  }

  @Test
  void separationOfDuties_adminRoleAndUseRole_keptApart() {
    AccessAnalysis analysis = analyse(ADMIN, USE, ATTACH);

    assertThat(analysis.administrators())
        .extracting(PrincipalActions::principal)
        .containsExactly("arn:aws:iam::111122223333:role/KeyAdmin");
    assertThat(analysis.users())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.principal()).isEqualTo("arn:aws:iam::111122223333:role/App");
              assertThat(u.actions()).contains(KmsAction.CREATE_GRANT, KmsAction.DECRYPT);
            });
    assertThat(analysis.adminsWhoCanUse()).isEmpty();
    assertThat(analysis.selfGrantWarning()).contains("can give themselves permission to use");
  }

  @Test
  void separationOfDuties_createGrantWithoutAwsResourceCondition_makesAdministrator() {
    AccessAnalysis analysis =
        analyse(
            "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/App\"},"
                + " \"Action\": [\"kms:Decrypt\", \"kms:CreateGrant\"], \"Resource\": \"*\"}");

    assertThat(analysis.adminsWhoCanUse())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.principal()).isEqualTo("arn:aws:iam::111122223333:role/App");
              assertThat(p.actions()).containsExactly(KmsAction.CREATE_GRANT, KmsAction.DECRYPT);
            });
    assertThat(analysis.createGrantWithoutAwsResourceCondition().get(0).message())
        .startsWith(
            "allows kms:CreateGrant to arn:aws:iam::111122223333:role/App without \"Bool\":"
                + " {\"kms:GrantIsForAWSResource\": true}");
  }

  @Test
  void createGrantWithoutAwsResourceCondition_conditionPresent_empty() {
    assertThat(analyse(ATTACH).createGrantWithoutAwsResourceCondition()).isEmpty();
  }

  @Test
  void usageWithoutViaService_directUse_reported() {
    AccessAnalysis analysis =
        analyse(
            "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/App\"},"
                + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}");

    assertThat(analysis.usageWithoutViaService())
        .singleElement()
        .hasToString(
            "/Statement/0: allows kms:Decrypt to arn:aws:iam::111122223333:role/App without a"
                + " kms:ViaService condition, so they can use the key directly, not only through"
                + " an AWS service");
  }

  @Test
  void usageWithoutViaService_viaServiceOrServicePrincipal_notReported() {
    AccessAnalysis analysis =
        analyse(
            USE,
            "{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"logs.us-east-1.amazonaws.com\"},"
                + " \"Action\": \"kms:Encrypt\", \"Resource\": \"*\"}");

    assertThat(analysis.usageWithoutViaService()).isEmpty();
  }

  @Test
  void lockoutRisk_rootStatement_noRisk() {
    AccessAnalysis analysis = analyse(ROOT);

    assertThat(analysis.lockoutRisk()).isFalse();
    assertThat(analysis.lockoutReasons()).hasSize(1);
  }

  @Test
  void lockoutRisk_noPutKeyPolicyAnywhere_risk() {
    AccessAnalysis analysis = analyse(USE);

    assertThat(analysis.lockoutRisk()).isTrue();
    assertThat(analysis.lockoutExplanation())
        .isEqualTo(
            "No statement allows kms:PutKeyPolicy: nobody can change the policy, and AWS Support"
                + " would have to restore access.");
  }

  @Test
  void lockoutRisk_onlyDeletedPrincipal_risk() {
    AccessAnalysis analysis =
        analyse(
            "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"AROAEXAMPLEID12345678\"},"
                + " \"Action\": \"kms:*\", \"Resource\": \"*\"}");

    assertThat(analysis.lockoutRisk()).isTrue();
    assertThat(analysis.lockoutReasons().get(0).message())
        .isEqualTo(
            "allows kms:PutKeyPolicy only to deleted principal AROAEXAMPLEID12345678, which no"
                + " caller can act as");
  }

  @Test
  void lockoutRisk_unconditionalDenyToEveryone_risk() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            "{\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"*\"}, \"Action\":"
                + " \"kms:PutKeyPolicy\", \"Resource\": \"*\"}");

    assertThat(analysis.lockoutRisk()).isTrue();
    assertThat(analysis.lockoutExplanation())
        .isEqualTo(
            "A Deny statement takes kms:PutKeyPolicy from everyone: nobody can change the policy.");
  }

  @Test
  void canPutKeyPolicy_namedRole_passesDirectly() {
    LockoutCheck check = analyse(ADMIN).canPutKeyPolicy("arn:aws:iam::111122223333:role/KeyAdmin");

    assertThat(check.passes()).isTrue();
    assertThat(check.explanation())
        .isEqualTo(
            "the policy allows the caller kms:PutKeyPolicy directly, so KMS's lockout safety"
                + " check passes");
  }

  @Test
  void canPutKeyPolicy_sessionOfNamedRole_passes() {
    LockoutCheck check =
        analyse(ADMIN).canPutKeyPolicy("arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice");

    assertThat(check.passes()).isTrue();
    assertThat(check.reasons())
        .extracting(r -> r.place().pointer())
        .containsExactly("/Statement/0");
  }

  @Test
  void canPutKeyPolicy_rootStatement_passesThroughIamDelegation() {
    LockoutCheck check = analyse(ROOT).canPutKeyPolicy("arn:aws:iam::111122223333:role/Deployer");

    assertThat(check.passes()).isTrue();
    assertThat(check.explanation())
        .startsWith(
            "the policy allows kms:PutKeyPolicy to the caller's account, so IAM policies decide"
                + " and KMS's lockout safety check passes");
  }

  @Test
  void canPutKeyPolicy_otherRoleWithoutRootStatement_fails() {
    LockoutCheck check = analyse(ADMIN, USE).canPutKeyPolicy("arn:aws:iam::111122223333:role/App");

    assertThat(check.passes()).isFalse();
    assertThat(check.explanation())
        .startsWith(
            "no Allow statement gives kms:PutKeyPolicy to the caller, its role or its account");
  }

  @Test
  void canPutKeyPolicy_callerInOtherAccount_fails() {
    LockoutCheck check = analyse(ROOT).canPutKeyPolicy("arn:aws:iam::444455556666:role/X");

    assertThat(check.passes()).isFalse();
    assertThat(check.explanation())
        .isEqualTo(
            "the caller [arn:aws:iam::444455556666:role/X] is in account 444455556666, not the"
                + " key's account 111122223333; kms:PutKeyPolicy does not work across accounts");
  }

  @Test
  void canPutKeyPolicy_notAPrincipalArn_throws() {
    AccessAnalysis analysis = analyse(ROOT);

    assertThatThrownBy(() -> analysis.canPutKeyPolicy("alice"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "caller [alice] is not a user, role, role session or account root ARN; expected e.g."
                + " arn:aws:iam::111122223333:role/Admin");
  }

  private static final String DENY_OUTSIDE_ORG =
      "{\"Sid\": \"OrgOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"kms:*\","
          + " \"Resource\": \"*\", \"Condition\": {\"StringNotEquals\": {\"aws:PrincipalOrgID\":"
          + " \"o-a1b2c3d4e5\"}}}";

  @Test
  void isPublic_denyGuardOutsideOrganization_notPublic() {
    AccessAnalysis analysis = analyse(ROOT, allowStar("\"kms:Decrypt\"", ""), DENY_OUTSIDE_ORG);

    assertThat(analysis.isPublic()).isFalse();
    assertThat(analysis.publicReasons().get(0).message())
        .isEqualTo(
            "allows kms:Decrypt to anyone (Principal \"*\"), but the Deny statement /Statement/2"
                + " (Sid \"OrgOnly\") (StringNotEquals aws:PrincipalOrgID [\"o-a1b2c3d4e5\"])"
                + " narrows the caller to known accounts or an organization");
  }

  @Test
  void isPublic_denyGuardNotCoveringAllowedActions_public() {
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar("\"kms:*\"", ""),
            DENY_OUTSIDE_ORG.replace("\"kms:*\"", "\"kms:Decrypt\""));

    assertThat(analysis.isPublic()).isTrue();
  }

  @Test
  void isPublic_denyGuardWithSecondCondition_notCreditedSoPublic() {
    // A caller outside the organization without the tag is not denied.
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar("\"kms:Decrypt\"", ""),
            DENY_OUTSIDE_ORG.replace(
                "\"o-a1b2c3d4e5\"}",
                "\"o-a1b2c3d4e5\"}, \"StringEquals\": {\"aws:PrincipalTag/team\": \"ops\"}"));

    assertThat(analysis.isPublic()).isTrue();
  }

  @Test
  void isPublic_denyGuardWithSecondConditionThatAlwaysHolds_creditedSoNotPublic() {
    // KMS accepts only TLS, so aws:SecureTransport is true in every request.
    AccessAnalysis analysis =
        analyse(
            ROOT,
            allowStar("\"kms:Decrypt\"", ""),
            DENY_OUTSIDE_ORG.replace(
                "\"o-a1b2c3d4e5\"}",
                "\"o-a1b2c3d4e5\"}, \"Bool\": {\"aws:SecureTransport\": \"true\"}"));

    assertThat(analysis.isPublic()).isFalse();
  }

  @Test
  void canPutKeyPolicy_notPrincipalListingOnlyTheAccount_stillAllowsItsRoles() {
    // IAM "NotPrincipal": an account ARN exempts only the account's root user.
    AccessAnalysis analysis =
        analyse(
            "{\"Effect\": \"Allow\", \"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},"
                + " \"Action\": \"kms:PutKeyPolicy\", \"Resource\": \"*\"}");

    assertThat(analysis.canPutKeyPolicy("arn:aws:iam::111122223333:role/Deployer").passes())
        .isTrue();
    assertThat(analysis.canPutKeyPolicy("arn:aws:iam::111122223333:root").passes()).isFalse();
  }

  @Test
  void canPutKeyPolicy_partialWildcardRoot_readAsEveryPrincipalOfMatchingAccounts() {
    LockoutCheck check =
        analyse(
                "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::*:root\"},"
                    + " \"Action\": \"kms:PutKeyPolicy\", \"Resource\": \"*\"}")
            .canPutKeyPolicy("arn:aws:iam::111122223333:role/Deployer");

    assertThat(check.passes()).isTrue();
    assertThat(check.reasons().get(0).message())
        .isEqualTo("allows kms:PutKeyPolicy to arn:aws:iam::*:root");
  }

  @Test
  void canPutKeyPolicy_notPrincipalListingOnlyTheSession_stillAllowsTheSession() {
    // IAM "NotPrincipal": a session is exempt only when its role ARN is listed too. Found by
    // AccessAnalysisProperties (the lockout check disagreed with the evaluator).
    String session = "arn:aws:sts::111122223333:assumed-role/admin/s1";
    AccessAnalysis sessionOnly =
        analyse(
            "{\"Effect\": \"Allow\", \"NotPrincipal\": {\"AWS\": \""
                + session
                + "\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}");
    AccessAnalysis sessionAndRole =
        analyse(
            "{\"Effect\": \"Allow\", \"NotPrincipal\": {\"AWS\": [\""
                + session
                + "\", \"arn:aws:iam::111122223333:role/admin\"]}, \"Action\": \"kms:*\","
                + " \"Resource\": \"*\"}");

    assertThat(sessionOnly.canPutKeyPolicy(session).passes()).isTrue();
    assertThat(sessionAndRole.canPutKeyPolicy(session).passes()).isFalse();
  }

  // Issue 15: only operations another account can call make a key public or cross-account, by the
  // same catalog flag (KmsAction.isCrossAccount, from the AWS KMS API reference's "Cross-account
  // use") by which the evaluator refuses the others to callers of another account.
  @Test
  void publicVerdict_wildcardAllowOfOperationsNotCrossAccount_isNotPublicButAccountWide() {
    // given
    String policy =
        "{\"Version\": \"2012-10-17\", \"Statement\": ["
            + allowStar("[\"kms:PutKeyPolicy\", \"kms:ScheduleKeyDeletion\"]", "")
            + "]}";
    KeyPolicy parsed = KeyPolicy.parse(policy);
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder()
            .keyPolicy(parsed)
            .keyArn("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
            .build();

    // when
    AccessAnalysis analysis = AccessAnalysis.of(parsed, ACCOUNT);
    Decision foreign =
        evaluator.evaluate(
            AccessRequest.builder()
                .principal("arn:aws:iam::444455556666:root")
                .action("kms:PutKeyPolicy")
                .resource(
                    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .build());

    // then
    assertThat(foreign.isAllowed()).isFalse();
    assertThat(foreign.delegatedToIam()).isFalse();
    assertThat(analysis.publicVerdict()).isEqualTo(PublicVerdict.NOT_PUBLIC);
    assertThat(analysis.isCrossAccount()).isFalse();
    assertThat(analysis.accountWideStatements())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.code()).isEqualTo(ReasonCode.ACCOUNT_WIDE);
              assertThat(r.place().sid()).isEqualTo("Star");
              assertThat(r.message()).contains("every principal of the key's account can");
            });
  }

  @Test
  void publicVerdict_wildcardAllowOfCrossAccountAndOtherOperations_isPublic() {
    AccessAnalysis analysis = analyse(allowStar("[\"kms:PutKeyPolicy\", \"kms:Decrypt\"]", ""));

    assertThat(analysis.publicVerdict()).isEqualTo(PublicVerdict.PUBLIC);
    assertThat(analysis.publicWitness().orElseThrow().request().action())
        .isEqualTo(KmsAction.DECRYPT);
    assertThat(analysis.accountWideStatements()).isEmpty();
  }

  // Issue 15: where the representative requests do not cover every request (two principal
  // patterns that may overlap), the caller check is still exact when no Allow of kms:PutKeyPolicy
  // names the caller: no request of it can be allowed.
  @Test
  void canPutKeyPolicy_noAllowNamesTheCallerWithOverlappingPatterns_fails() {
    // given
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
         {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/BreakGlass"},
          "Action": "*",
          "Resource": "arn:aws:kms:us-east-1:111122223333:key/0000aaaa-00aa-00aa-00aa-0000000000aa"},
         {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:*"},
          "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*",
          "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Break*"}}}]}""";
    AccessAnalysis analysis =
        AccessAnalysis.of(
            KeyPolicy.parse(policy),
            ACCOUNT,
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");

    // when
    LockoutCheck check = analysis.canPutKeyPolicy("arn:aws:iam::111122223333:root");

    // then
    assertThat(check.verdict()).isEqualTo(LockoutCheck.Verdict.FAILS);
    assertThat(check.explanation()).startsWith("no Allow statement gives kms:PutKeyPolicy");
  }
}
