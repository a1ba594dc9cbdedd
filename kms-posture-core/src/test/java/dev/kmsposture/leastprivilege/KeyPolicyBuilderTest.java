package dev.kmsposture.leastprivilege;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Effect;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Severity;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KeyPolicyBuilderTest {
  static final AccountId ACCOUNT = AccountId.of("111122223333");
  static final String ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  static final String APP = "arn:aws:iam::111122223333:role/App";
  static final String AUDIT = "arn:aws:iam::111122223333:role/Audit";
  static final String EXTERNAL = "arn:aws:iam::444455556666:role/Partner";

  static KeyPolicyBuilder base() {
    return KeyPolicyBuilder.forAccount(ACCOUNT).administrators(ADMIN);
  }

  static InsecurePolicyException refusal(KeyPolicyBuilder b) {
    try {
      b.build();
    } catch (InsecurePolicyException e) {
      return e;
    }
    throw new AssertionError("expected the build to be refused");
  }

  static List<BuilderFinding.Code> codes(List<BuilderFinding> findings) {
    return findings.stream().map(BuilderFinding::code).collect(Collectors.toList());
  }

  static Statement stmt(BuiltKeyPolicy built, String sid) {
    return built.policy().statement(sid).orElseThrow();
  }

  static List<String> principals(Statement s) {
    return s.principals().stream().map(p -> p.value()).collect(Collectors.toList());
  }

  static List<String> actions(Statement s) {
    return s.actions().stream().map(KmsAction::name).collect(Collectors.toList());
  }

  static String condition(Statement s, String key) {
    return s.conditions().stream()
        .filter(c -> c.key().sameKeyAs(key))
        .map(c -> c.operator().name() + " " + String.join(",", c.valueTexts()))
        .findFirst()
        .orElse("<none>");
  }

  // ------------------------------------------------------------------ misuse

  @Test
  void build_withoutAccount_throwsIllegalState() {
    assertThatThrownBy(() -> KeyPolicyBuilder.builder().administrators(ADMIN).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "account is not set; call account(AccountId) or start with"
                + " KeyPolicyBuilder.forAccount");
  }

  @Test
  void addAdministrator_assumedRoleSession_throwsIllegalArgument() {
    assertThatThrownBy(
            () -> base().addAdministrator("arn:aws:sts::111122223333:assumed-role/KeyAdmin/s1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "administrator [arn:aws:sts::111122223333:assumed-role/KeyAdmin/s1] is not an IAM role"
                + " or user ARN (it is assumed role session); name the role, such as"
                + " arn:aws:iam::111122223333:role/NAME");
  }

  @Test
  void addAuditor_accountRoot_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().addAuditor("444455556666"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "auditor [444455556666] is not an IAM role or user ARN (it is account)");
  }

  @Test
  void addCrossAccountUser_uniqueId_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().addCrossAccountUser("AROAEXAMPLEID1234567"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cross-account user [AROAEXAMPLEID1234567] is not an IAM role or user ARN (it is"
                + " unique id); name the role, such as arn:aws:iam::111122223333:role/NAME, or the"
                + " 12-digit account id");
  }

  @Test
  void addCrossAccountUser_everyone_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().addCrossAccountUser("*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cross-account user [*] names no account; name a 12-digit account id or a role or user"
                + " ARN of that account");
  }

  @Test
  void partition_invalid_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().partition("azure"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "partition [azure] is not valid; expected aws, aws-cn, aws-us-gov or another aws-…");
  }

  @Test
  void build_principalOfOtherPartition_throwsIllegalState() {
    KeyPolicyBuilder b = base().partition("aws-cn");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "principal [arn:aws:iam::111122223333:role/KeyAdmin] is in partition [aws], but the"
                + " key's partition is [aws-cn]; set partition(...) or fix the ARN");
  }

  @Test
  void build_userOfOtherAccount_throwsIllegalState() {
    KeyPolicyBuilder b = base().users(EXTERNAL);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "user [arn:aws:iam::444455556666:role/Partner] is in account [444455556666], not the"
                + " key's account [111122223333]; name principals of other accounts with"
                + " crossAccountUsers(...) or auditors(...)");
  }

  @Test
  void build_crossAccountUserOfOwnAccount_throwsIllegalState() {
    KeyPolicyBuilder b = base().crossAccountUsers(APP);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cross-account user [arn:aws:iam::111122223333:role/App] is in the key's own account"
                + " [111122223333]; name it with users(...) or addServiceUsers(...)");
  }

  @Test
  void build_userAlsoServiceUser_throwsIllegalState() {
    KeyPolicyBuilder b = base().users(APP).addServiceUser(APP, AwsService.S3, "us-east-1");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "principal [arn:aws:iam::111122223333:role/App] is both a key user and a service user"
                + " of [S3]; a plain key user is not restricted by kms:ViaService, so name it in"
                + " one role only");
  }

  @Test
  void build_cloudWatchLogsOnHmacKey_throwsIllegalState() {
    KeyPolicyBuilder b =
        base()
            .keyKind(KeyKind.of("HMAC_256", "GENERATE_VERIFY_MAC"))
            .addCloudWatchLogs("us-east-1");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "CloudWatch Logs encrypts only with symmetric encryption keys, but the key kind is"
                + " [HMAC_256/GENERATE_VERIFY_MAC]; use KeyKind.SYMMETRIC_DEFAULT");
  }

  @Test
  void addServiceUsers_emptyRegions_throwsIllegalArgument() {
    assertThatThrownBy(
            () -> base().addServiceUsers(List.of(APP), List.of(AwsService.S3), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("regions [] is empty; name at least one");
  }

  @Test
  void addServiceUser_badRegion_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().addServiceUser(APP, AwsService.S3, "useast1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region [useast1] is not valid; expected a region name such as us-east-1");
  }

  @Test
  void addCloudWatchLogs_logGroupWithColon_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().addCloudWatchLogs("us-east-1", "a:b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "log-group name [a:b] is not valid; expected a name such as /app/prod, without colons");
  }

  @Test
  void requireResourceTag_awsPrefix_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().requireResourceTag("aws:cloudformation:stack-name", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tag key [aws:cloudformation:stack-name] is not valid; expected 1 to 128 letters,"
                + " digits, spaces or _.:/=+-@, not starting with aws:");
  }

  @Test
  void requireResourceTag_noValue_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().requireResourceTag("Environment"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tag [Environment] needs at least one value to require");
  }

  @Test
  void caller_notAnArn_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().caller("111122223333"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "caller [111122223333] is not a principal ARN; expected e.g."
                + " arn:aws:sts::111122223333:assumed-role/Deployer/session");
  }

  @Test
  void acknowledgeAdminCanUse_blankReason_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().acknowledgeAdminCanUse(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the reason for acknowledging that an administrator can use is blank; write why (an"
                + " ADR or ticket reference)");
  }

  @Test
  void insecureAddStatement_blankReason_throwsIllegalArgument() {
    assertThatThrownBy(() -> base().insecureAddStatement(extra("Extra", "kms:Decrypt"), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the reason for adding a statement is blank; write why (an ADR or ticket reference)");
  }

  @Test
  void insecureAddStatement_withoutSid_throwsIllegalArgument() {
    Statement noSid = extra("Extra", "kms:Decrypt").toBuilder().sid(null).build();
    assertThatThrownBy(() -> base().insecureAddStatement(noSid, "ticket 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a statement added with insecureAddStatement needs a Sid, so that its trace names it");
  }

  @Test
  void build_insecureStatementReusingGeneratedSid_throwsIllegalState() {
    KeyPolicyBuilder b =
        base().insecureAddStatement(extra("KeyAdministrators", "kms:DescribeKey"), "ticket 1");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "insecure statement Sid [KeyAdministrators] is also the Sid of a generated statement;"
                + " choose another Sid");
  }

  @Test
  void insecureOverride_blankReason_throwsIllegalArgument() {
    assertThatThrownBy(
            () -> InsecureOverride.acknowledging(BuilderFinding.Code.PUBLIC_PRINCIPAL, "\t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the reason for overriding [PUBLIC_PRINCIPAL] is blank; write why the weaker policy is"
                + " acceptable");
  }

  static Statement extra(String sid, String action) {
    return Statement.builder()
        .sid(sid)
        .effect(Effect.ALLOW)
        .addAwsPrincipal("arn:aws:iam::111122223333:role/Legacy")
        .addAction(action)
        .addResource("*")
        .build();
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void build_nothingConfigured_refusesNobodyCanPutKeyPolicy() {
    InsecurePolicyException e = refusal(KeyPolicyBuilder.forAccount(ACCOUNT));
    assertThat(e)
        .hasMessage(
            "refusing to build an insecure key policy: CRITICAL NOBODY_CAN_PUT_KEY_POLICY: no"
                + " statement allows kms:PutKeyPolicy, so nobody could ever change the policy; name"
                + " an administrator with administrators(...) or choose breakGlass(...)");
  }

  @Test
  void build_usersWithoutAdministratorOrBreakGlass_refusesNobodyCanPutKeyPolicy() {
    InsecurePolicyException e = refusal(KeyPolicyBuilder.forAccount(ACCOUNT).users(APP));
    assertThat(codes(e.blockingFindings()))
        .containsExactly(BuilderFinding.Code.NOBODY_CAN_PUT_KEY_POLICY);
  }

  @Test
  void build_everyoneAsUser_refusesPublicPrincipal() {
    InsecurePolicyException e = refusal(base().users("*"));
    assertThat(e.blockingFindings())
        .extracting(BuilderFinding::message)
        .first()
        .isEqualTo(
            "statement [KeyUsers] allows principal [*] without a condition that limits the"
                + " caller's account or organization: the key would be public");
    // Everyone includes the administrator, so the analysis finds it can use the key too.
    assertThat(codes(e.blockingFindings()))
        .containsExactly(BuilderFinding.Code.PUBLIC_PRINCIPAL, BuilderFinding.Code.ADMIN_CAN_USE);
  }

  @Test
  void build_wildcardRoleAsAdministrator_refusesPublicPrincipal() {
    InsecurePolicyException e = refusal(base().addAdministrator("arn:aws:iam::*:role/Admin"));
    assertThat(codes(e.blockingFindings())).containsExactly(BuilderFinding.Code.PUBLIC_PRINCIPAL);
  }

  @Test
  void build_accountRootAsUser_refusesRootOutsideBreakGlass() {
    InsecurePolicyException e = refusal(base().users(ACCOUNT.rootArn()));
    assertThat(e.blockingFindings())
        .extracting(BuilderFinding::message)
        .containsExactly(
            "statement [KeyUsers] names the account root [arn:aws:iam::111122223333:root], which"
                + " hands the statement to every IAM policy in account [111122223333]; name roles,"
                + " or choose breakGlass(...)");
  }

  @Test
  void build_administratorAlsoUser_refusesAdminCanUse() {
    InsecurePolicyException e = refusal(base().users(ADMIN));
    assertThat(e.blockingFindings())
        .extracting(BuilderFinding::message)
        .containsExactly(
            "principal [arn:aws:iam::111122223333:role/KeyAdmin] administers the key (statement"
                + " [KeyAdministrators]) and uses it (statement [KeyUsers]); keep the roles apart,"
                + " or call acknowledgeAdminCanUse(reason)");
  }

  @Test
  void build_administratorAlsoGrantUser_refusesAdminCanUse() {
    InsecurePolicyException e = refusal(base().grantUsers(ADMIN));
    assertThat(codes(e.blockingFindings())).containsExactly(BuilderFinding.Code.ADMIN_CAN_USE);
  }

  @Test
  void build_administratorAlsoUserAcknowledged_buildsWithAcknowledgedFinding() {
    BuiltKeyPolicy built =
        base().users(ADMIN).acknowledgeAdminCanUse("ADR-7: one-person team").build();
    assertThat(built.findings())
        .extracting(BuilderFinding::message)
        .containsExactly(
            "principal [arn:aws:iam::111122223333:role/KeyAdmin] administers the key (statement"
                + " [KeyAdministrators]) and uses it (statement [KeyUsers]); keep the roles apart,"
                + " or call acknowledgeAdminCanUse(reason); acknowledged: ADR-7: one-person team");
  }

  @Test
  void build_callerNotAdministrator_refusesCallerLockedOut() {
    InsecurePolicyException e =
        refusal(base().caller("arn:aws:sts::111122223333:assumed-role/Deployer/ci"));
    assertThat(e.blockingFindings())
        .extracting(BuilderFinding::message)
        .containsExactly(
            "caller [arn:aws:sts::111122223333:assumed-role/Deployer/ci] could not call"
                + " kms:PutKeyPolicy under this policy, directly or through the account root, so"
                + " KMS would reject it (lockout safety check); make the caller an administrator"
                + " or the break-glass role");
  }

  @Test
  void build_callerIsSessionOfAdministrator_builds() {
    BuiltKeyPolicy built =
        base().caller("arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice").build();
    assertThat(built.findings()).isEmpty();
  }

  @Test
  void build_callerIsAdministrator_builds() {
    assertThat(base().caller(ADMIN).build().findings()).isEmpty();
  }

  @Test
  void build_callerIsSessionOfBreakGlassRole_builds() {
    BuiltKeyPolicy built =
        KeyPolicyBuilder.forAccount(ACCOUNT)
            .breakGlass(BreakGlass.rootRestrictedTo("arn:aws:iam::111122223333:role/BreakGlass"))
            .caller("arn:aws:sts::111122223333:assumed-role/BreakGlass/incident-42")
            .build();
    assertThat(built.findings()).isEmpty();
  }

  @Test
  void build_callerOtherRoleWithRestrictedBreakGlass_refusesCallerLockedOut() {
    KeyPolicyBuilder b =
        KeyPolicyBuilder.forAccount(ACCOUNT)
            .breakGlass(BreakGlass.rootRestrictedTo("arn:aws:iam::111122223333:role/BreakGlass"))
            .caller("arn:aws:iam::111122223333:role/Deployer");
    assertThat(codes(refusal(b).blockingFindings()))
        .containsExactly(BuilderFinding.Code.CALLER_LOCKED_OUT);
  }

  @Test
  void build_callerInAccountWithAwsDefaultBreakGlass_buildsThroughRootDelegation() {
    BuiltKeyPolicy built =
        KeyPolicyBuilder.forAccount(ACCOUNT)
            .breakGlass(BreakGlass.awsDefault())
            .caller("arn:aws:iam::111122223333:role/Deployer")
            .build();
    assertThat(codes(built.findings())).containsExactly(BuilderFinding.Code.ROOT_DELEGATION);
  }

  @Test
  void build_callerInOtherAccountWithAwsDefaultBreakGlass_refusesCallerLockedOut() {
    KeyPolicyBuilder b =
        KeyPolicyBuilder.forAccount(ACCOUNT)
            .breakGlass(BreakGlass.awsDefault())
            .caller("arn:aws:iam::444455556666:role/Deployer");
    assertThat(codes(refusal(b).blockingFindings()))
        .containsExactly(BuilderFinding.Code.CALLER_LOCKED_OUT);
  }

  @Test
  void build_over32Kilobytes_refusesPolicyTooLarge() {
    // given
    KeyPolicyBuilder b = base();
    for (int i = 0; i < 700; i++) {
      b.addUser(String.format("arn:aws:iam::111122223333:role/application-role-%04d", i));
    }
    // when
    InsecurePolicyException e = refusal(b);
    // then
    assertThat(e.blockingFindings())
        .extracting(BuilderFinding::message)
        .singleElement()
        .asString()
        .matches(
            "the policy is \\[\\d+\\] bytes as compact JSON, over the KMS limit of 32768 bytes;"
                + " use fewer principals \\(for example one role per workload\\), or tag-based"
                + " access");
  }

  @Test
  void build_insecureStatementWithKmsAll_refusesKmsAllOutsideBreakGlass() {
    InsecurePolicyException e =
        refusal(base().insecureAddStatement(extra("Legacy", "kms:*"), "T-1"));
    assertThat(e.blockingFindings())
        .extracting(BuilderFinding::message)
        .contains("statement [Legacy] allows kms:*, which only the break-glass statement may do");
  }

  @Test
  void build_insecureStatementWithKmsAll_alsoRefusesAdminCanUseAndUnconditionedGrants() {
    InsecurePolicyException e =
        refusal(base().insecureAddStatement(extra("Legacy", "kms:*"), "T-1"));
    assertThat(codes(e.blockingFindings()))
        .containsExactly(
            BuilderFinding.Code.KMS_ALL_OUTSIDE_BREAK_GLASS,
            BuilderFinding.Code.ADMIN_CAN_USE,
            BuilderFinding.Code.CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION);
  }

  @Test
  void build_insecureStatementWithNotAction_refusesKmsAllOutsideBreakGlass() {
    Statement notAction =
        extra("Legacy", "kms:Decrypt").toBuilder().notActions(List.of(KmsAction.DECRYPT)).build();
    InsecurePolicyException e = refusal(base().insecureAddStatement(notAction, "T-1"));
    assertThat(e.blockingFindings())
        .extracting(BuilderFinding::message)
        .contains(
            "statement [Legacy] allows everything but its NotAction list, which only the"
                + " break-glass statement may do");
  }

  @Test
  void build_insecureCreateGrantWithoutCondition_refusesCreateGrantWithoutAwsResourceCondition() {
    InsecurePolicyException e =
        refusal(base().insecureAddStatement(extra("LegacyGrants", "kms:CreateGrant"), "T-4"));
    assertThat(e.blockingFindings())
        .extracting(BuilderFinding::message)
        .containsExactly(
            "statement [LegacyGrants] allows kms:CreateGrant without Bool"
                + " kms:GrantIsForAWSResource true, so the grantee could pass the key's use on to"
                + " any principal; use grantUsers(...)");
  }

  @Test
  void build_insecureKmsAllWithOverride_buildsWithOverrideTrace() {
    BuiltKeyPolicy built =
        base()
            .insecureAddStatement(extra("Legacy", "kms:*"), "vendor tool, T-1")
            .insecureOverride(
                InsecureOverride.acknowledging(
                    BuilderFinding.Code.KMS_ALL_OUTSIDE_BREAK_GLASS, "T-1 until 2027"))
            .insecureOverride(
                InsecureOverride.acknowledging(BuilderFinding.Code.ADMIN_CAN_USE, "T-1 until 2027"))
            .insecureOverride(
                InsecureOverride.acknowledging(
                    BuilderFinding.Code.CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION, "T-1"))
            .build();
    assertThat(built.findings(BuilderFinding.Code.INSECURE_OVERRIDE))
        .extracting(BuilderFinding::message)
        .contains(
            "KMS_ALL_OUTSIDE_BREAK_GLASS let through by InsecureOverride: statement [Legacy]"
                + " allows kms:*, which only the break-glass statement may do; reason: T-1 until"
                + " 2027");
  }

  @Test
  void build_insecureNarrowStatement_buildsWithStatementTrace() {
    BuiltKeyPolicy built =
        base().insecureAddStatement(extra("LegacyRead", "kms:DescribeKey"), "T-2").build();
    assertThat(codes(built.findings())).containsExactly(BuilderFinding.Code.INSECURE_STATEMENT);
    assertThat(built.policy().statements().get(1).sid()).isEqualTo("LegacyRead");
  }

  @Test
  void build_insecurePublicStatementNarrowedByPrincipalAccount_isNotPublic() {
    Statement s =
        Statement.builder()
            .sid("OrgRead")
            .effect(Effect.ALLOW)
            .addPrincipal(dev.kmsposture.policy.Principal.everyone())
            .addAction(KmsAction.DESCRIBE_KEY)
            .addResource("*")
            .addCondition("StringEquals", "aws:PrincipalOrgID", "o-abc123")
            .build();
    BuiltKeyPolicy built = base().insecureAddStatement(s, "org-wide describe, ADR-9").build();
    assertThat(codes(built.findings())).containsExactly(BuilderFinding.Code.INSECURE_STATEMENT);
  }

  @Test
  void build_insecureDenyOfPutKeyPolicyToEveryone_refusedByTheAccessAnalysisCrossCheck() {
    // given: the builder's own lockout check looks at Allow statements only
    Statement deny =
        Statement.builder()
            .sid("DenyPolicyChanges")
            .effect(Effect.DENY)
            .addPrincipal(dev.kmsposture.policy.Principal.everyone())
            .addAction(KmsAction.PUT_KEY_POLICY)
            .addResource("*")
            .build();
    // when
    InsecurePolicyException e = refusal(base().insecureAddStatement(deny, "freeze, T-5"));
    // then
    assertThat(e.blockingFindings())
        .extracting(
            BuilderFinding::code,
            f -> f.message().startsWith("AccessAnalysis finds a lockout risk: "))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                BuilderFinding.Code.NOBODY_CAN_PUT_KEY_POLICY, true));
  }

  // ------------------------------------------------------------------ what is built

  @Test
  void build_awsDefaultBreakGlass_carriesOneRootDelegationFinding() {
    BuiltKeyPolicy built = base().breakGlass(BreakGlass.awsDefault()).build();
    assertThat(built.findings())
        .extracting(BuilderFinding::message)
        .containsExactly(
            "statement [Enable IAM User Permissions] gives kms:* to the account root"
                + " [arn:aws:iam::111122223333:root]: every IAM policy in account [111122223333]"
                + " that allows KMS actions can use and manage this key; for a production key"
                + " prefer BreakGlass.rootRestrictedTo(role) or BreakGlass.none()");
  }

  @Test
  void build_restrictedBreakGlass_rootWithPrincipalArnAndAdministrationOnly() {
    // given
    String role = "arn:aws:iam::111122223333:role/BreakGlass";
    // when
    Statement s =
        stmt(base().breakGlass(BreakGlass.rootRestrictedTo(role)).build(), "BreakGlassRoot");
    // then
    assertThat(principals(s)).containsExactly("arn:aws:iam::111122223333:root");
    assertThat(s.actions()).isEqualTo(Actions.ADMINISTRATION);
    assertThat(condition(s, "aws:PrincipalArn")).isEqualTo("ArnEquals " + role);
  }

  @Test
  void build_breakGlassRoleOfOtherAccount_throwsIllegalState() {
    KeyPolicyBuilder b =
        base().breakGlass(BreakGlass.rootRestrictedTo("arn:aws:iam::444455556666:role/BreakGlass"));
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "break-glass role [arn:aws:iam::444455556666:role/BreakGlass] is in account"
                + " [444455556666], not the key's account [111122223333]");
  }

  @Test
  void build_administrators_getExplicitManagementActionsOnly() {
    Statement s = stmt(base().build(), "KeyAdministrators");
    assertThat(actions(s))
        .contains("kms:CreateAlias", "kms:PutKeyPolicy", "kms:RotateKeyOnDemand")
        .doesNotContain("kms:Create*", "kms:CreateGrant", "kms:Decrypt", "kms:Encrypt")
        .allSatisfy(a -> assertThat(a).doesNotContain("*"));
    assertThat(s.actions()).noneMatch(KmsAction::isCryptographic);
    assertThat(s.actions()).allMatch(KmsAction::isKeyPolicyAuthorizable);
  }

  @Test
  void build_auditors_getExplicitReadOnlyList() {
    Statement s = stmt(base().auditors(AUDIT).build(), "AuditorsReadOnly");
    assertThat(actions(s))
        .containsExactly(
            "kms:DescribeKey",
            "kms:GetKeyLastUsage",
            "kms:GetKeyPolicy",
            "kms:GetKeyRotationStatus",
            "kms:ListGrants",
            "kms:ListKeyPolicies",
            "kms:ListKeyRotations",
            "kms:ListResourceTags");
  }

  @Test
  void build_externalAuditor_getsCrossAccountReadsAndANote() {
    // when
    BuiltKeyPolicy built = base().auditors(EXTERNAL).build();
    // then
    assertThat(actions(stmt(built, "ExternalAuditorsReadOnly")))
        .containsExactly("kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListGrants");
    assertThat(built.findings(Severity.OPTIONAL))
        .extracting(BuilderFinding::message)
        .containsExactly(
            "auditor [arn:aws:iam::444455556666:role/Partner] is not in the key's account"
                + " [111122223333]: KMS lets it call only DescribeKey, GetKeyRotationStatus and"
                + " ListGrants across accounts (statement [ExternalAuditorsReadOnly]); reading the"
                + " key policy, tags, rotations and last usage needs an audit role in account"
                + " [111122223333]");
  }

  @Test
  void build_serviceUser_restrictedByViaServiceAndCallerAccount() {
    Statement s =
        stmt(base().addServiceUser(APP, AwsService.S3, "us-east-1").build(), "KeyUsersViaS3");
    assertThat(condition(s, "kms:ViaService")).isEqualTo("StringEquals s3.us-east-1.amazonaws.com");
    assertThat(condition(s, "kms:CallerAccount")).isEqualTo("StringEquals 111122223333");
  }

  @Test
  void build_serviceUsersWithDifferentRegions_splitByRegionInSids() {
    // given
    KeyPolicyBuilder b =
        base()
            .addServiceUser(APP, AwsService.EBS, "us-east-1")
            .addServiceUser("arn:aws:iam::111122223333:role/Dr", AwsService.EBS, "us-west-2");
    // when
    KeyPolicy p = b.buildPolicy();
    // then
    assertThat(p.statements())
        .extracting(Statement::sid)
        .containsExactly("KeyAdministrators", "KeyUsersViaEbsInUsEast1", "KeyUsersViaEbsInUsWest2");
    assertThat(condition(p.statement("KeyUsersViaEbsInUsWest2").orElseThrow(), "kms:ViaService"))
        .isEqualTo("StringEquals ec2.us-west-2.amazonaws.com");
  }

  @Test
  void build_cloudWatchLogs_servicePrincipalWithLogGroupArn() {
    // when
    Statement s =
        stmt(base().addCloudWatchLogs("eu-west-1", "/app/prod").build(), "CloudWatchLogsEuWest1");
    // then
    assertThat(s.principals())
        .extracting(p -> p.type() + ":" + p.value())
        .containsExactly("Service:logs.eu-west-1.amazonaws.com");
    assertThat(condition(s, "kms:EncryptionContext:aws:logs:arn"))
        .isEqualTo("ArnLike arn:aws:logs:eu-west-1:111122223333:log-group:/app/prod");
  }

  @Test
  void build_cloudWatchLogsWithoutNames_coversAllLogGroupsOfTheAccount() {
    Statement s = stmt(base().addCloudWatchLogs("us-east-1").build(), "CloudWatchLogsUsEast1");
    assertThat(condition(s, "kms:EncryptionContext:aws:logs:arn"))
        .isEqualTo("ArnLike arn:aws:logs:us-east-1:111122223333:log-group:*");
  }

  @Test
  void build_grantUsers_onlyForAwsResources() {
    Statement s = stmt(base().grantUsers(APP).build(), "GrantsForAwsResources");
    assertThat(actions(s)).containsExactly("kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant");
    assertThat(condition(s, "kms:GrantIsForAWSResource")).isEqualTo("Bool true");
  }

  @Test
  void build_crossAccountAccount_rootArnPinnedWithCallerAccount() {
    // when
    BuiltKeyPolicy built = base().crossAccountUsers("444455556666").build();
    // then
    Statement s = stmt(built, "CrossAccountUse444455556666");
    assertThat(principals(s)).containsExactly("arn:aws:iam::444455556666:root");
    assertThat(s.actions()).isEqualTo(KeyKind.SYMMETRIC_DEFAULT.userActions());
    assertThat(condition(s, "kms:CallerAccount")).isEqualTo("StringEquals 444455556666");
    assertThat(built.policy().statement("CrossAccountGrants444455556666")).isEmpty();
  }

  @Test
  void build_crossAccountGrants_restrictedToAwsResourcesAndPinned() {
    Statement s =
        stmt(
            base().crossAccountUsers(EXTERNAL).crossAccountGrants(true).build(),
            "CrossAccountGrants444455556666");
    assertThat(condition(s, "kms:GrantIsForAWSResource")).isEqualTo("Bool true");
    assertThat(condition(s, "kms:CallerAccount")).isEqualTo("StringEquals 444455556666");
  }

  @Test
  void build_resourceTag_conditionsEveryUseStatementButNotAdministration() {
    // when
    BuiltKeyPolicy built =
        base().users(APP).grantUsers(APP).requireResourceTag("Environment", "prod").build();
    // then
    assertThat(condition(stmt(built, "KeyUsers"), "aws:ResourceTag/Environment"))
        .isEqualTo("StringEquals prod");
    assertThat(condition(stmt(built, "GrantsForAwsResources"), "aws:ResourceTag/Environment"))
        .isEqualTo("StringEquals prod");
    assertThat(stmt(built, "KeyAdministrators").conditions()).isEmpty();
  }

  @Test
  void build_sameInputsInAnyOrder_byteIdentical() {
    // given
    KeyPolicyBuilder a =
        base()
            .users("arn:aws:iam::111122223333:role/B", "arn:aws:iam::111122223333:role/A")
            .addServiceUsers(
                List.of(APP),
                List.of(AwsService.SQS, AwsService.S3),
                List.of("us-west-2", "us-east-1"))
            .auditors(AUDIT);
    KeyPolicyBuilder b =
        base()
            .auditors(AUDIT)
            .addServiceUsers(
                List.of(APP),
                List.of(AwsService.S3, AwsService.SQS),
                List.of("us-east-1", "us-west-2"))
            .users(
                "arn:aws:iam::111122223333:role/A",
                "arn:aws:iam::111122223333:role/B",
                "arn:aws:iam::111122223333:role/A");
    // then
    assertThat(a.build().toJson()).isEqualTo(b.build().toJson());
  }

  @Test
  void build_allRoles_canonicalStatementOrder() {
    // when
    KeyPolicy p =
        base()
            .breakGlass(BreakGlass.rootRestrictedTo("arn:aws:iam::111122223333:role/BreakGlass"))
            .users("arn:aws:iam::111122223333:role/Batch")
            .addServiceUser(APP, AwsService.SECRETS_MANAGER, "us-east-1")
            .addCloudWatchLogs("us-east-1")
            .grantUsers(APP)
            .crossAccountUsers(EXTERNAL, "777788889999")
            .auditors(AUDIT, "arn:aws:iam::444455556666:role/ExternalAudit")
            .insecureAddStatement(extra("ZLegacy", "kms:DescribeKey"), "T-3")
            .buildPolicy();
    // then
    assertThat(p.statements())
        .extracting(Statement::sid)
        .containsExactly(
            "BreakGlassRoot",
            "KeyAdministrators",
            "KeyUsers",
            "KeyUsersViaSecretsManager",
            "CloudWatchLogsUsEast1",
            "GrantsForAwsResources",
            "CrossAccountUse444455556666",
            "CrossAccountUse777788889999",
            "AuditorsReadOnly",
            "ExternalAuditorsReadOnly",
            "ZLegacy");
  }

  @Test
  void build_allRoles_policyHasNoValidationIssue() {
    KeyPolicy p =
        base()
            .breakGlass(BreakGlass.rootRestrictedTo("arn:aws:iam::111122223333:role/BreakGlass"))
            .users("arn:aws:iam::111122223333:role/Batch")
            .addServiceUser(APP, AwsService.DYNAMODB, "us-east-1")
            .addCloudWatchLogs("us-east-1", "/a", "/b")
            .grantUsers(APP)
            .crossAccountUsers(EXTERNAL)
            .crossAccountGrants(true)
            .auditors(AUDIT, EXTERNAL)
            .requireResourceTag("Team", "payments")
            .buildPolicy();
    assertThat(p.validate()).isEmpty();
    assertThat(KeyPolicy.parse(p.toJson())).isEqualTo(p);
  }

  @Test
  void buildPolicy_returnsThePolicyOfBuild() {
    assertThat(base().buildPolicy()).isEqualTo(base().build().policy());
  }

  @Test
  void builtKeyPolicy_blockingFinding_throwsIllegalArgument() {
    BuilderFinding f = BuilderFinding.of(BuilderFinding.Code.PUBLIC_PRINCIPAL, "statement [X] …");
    KeyPolicy p = base().buildPolicy();
    assertThatThrownBy(() -> new BuiltKeyPolicy(p, List.of(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a built policy cannot carry the blocking finding [CRITICAL PUBLIC_PRINCIPAL: statement"
                + " [X] …]");
  }

  @Test
  void insecurePolicyException_withoutBlockingFinding_throwsIllegalArgument() {
    BuilderFinding f = BuilderFinding.of(BuilderFinding.Code.ROOT_DELEGATION, "statement [X] …");
    assertThatThrownBy(() -> new InsecurePolicyException(List.of(f)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an insecure-policy exception needs at least one blocking (CRITICAL) finding");
  }

  @Test
  void breakGlass_rootRestrictedToUser_throwsIllegalArgument() {
    assertThatThrownBy(() -> BreakGlass.rootRestrictedTo("arn:aws:iam::111122223333:user/bob"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "break-glass role [arn:aws:iam::111122223333:user/bob] is not an IAM role ARN; expected"
                + " arn:aws:iam::ACCOUNT:role/NAME");
  }

  @Test
  void breakGlass_noneWithRole_throwsIllegalArgument() {
    assertThatThrownBy(() -> new BreakGlass(BreakGlass.Kind.NONE, ADMIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("break-glass [NONE] cannot name a role; only ROOT_RESTRICTED names one");
  }
}
