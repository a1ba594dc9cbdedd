package dev.kmsposture.leastprivilege;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The access evaluator confirms, role by role, that each declared principal can do exactly its
 * role's actions under its conditions, and that nobody else can do anything.
 */
class KeyPolicyBuilderAccessTest {
  static final AccountId ACCOUNT = AccountId.of("111122223333");
  static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";
  static final String APP = "arn:aws:iam::111122223333:role/App";
  static final String SVC = "arn:aws:iam::111122223333:role/S3Writer";
  static final String AUDIT = "arn:aws:iam::111122223333:role/Audit";
  static final String STRANGER = "arn:aws:iam::111122223333:role/Stranger";
  static final String PARTNER = "arn:aws:iam::444455556666:role/Partner";
  static final String EXTERNAL_AUDIT = "arn:aws:iam::999988887777:role/ExternalAudit";
  static final String BREAK_GLASS = "arn:aws:iam::111122223333:role/BreakGlass";

  /** Every action a key policy can authorise. */
  static final List<KmsAction> AUTHORIZABLE =
      KmsAction.known().stream()
          .filter(KmsAction::isKeyPolicyAuthorizable)
          .sorted((a, b) -> a.name().compareTo(b.name()))
          .collect(Collectors.toList());

  static final IdentityPolicy ALLOW_ALL_KMS =
      IdentityPolicy.parse(
          "AllowAllKms",
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\","
              + "\"Resource\":\"*\"}]}");

  static KeyPolicy policy() {
    return KeyPolicyBuilder.forAccount(ACCOUNT)
        .breakGlass(BreakGlass.rootRestrictedTo(BREAK_GLASS))
        .administrators(ADMIN)
        .users(APP)
        .grantUsers(APP)
        .addServiceUser(SVC, AwsService.S3, "us-east-1")
        .addCloudWatchLogs("us-east-1", "/app/prod")
        .crossAccountUsers(PARTNER)
        .auditors(AUDIT, EXTERNAL_AUDIT)
        .buildPolicy();
  }

  static KeyAccessEvaluator evaluator(KeyPolicy p, String... withIamPolicy) {
    KeyAccessEvaluator.Builder b = KeyAccessEvaluator.builder().keyPolicy(p).keyArn(KEY_ARN);
    for (String principal : withIamPolicy) {
      b.addIdentityPolicy(principal, ALLOW_ALL_KMS);
    }
    return b.build();
  }

  static Set<KmsAction> allowed(
      KeyAccessEvaluator ev, String principal, Map<String, String> context) {
    Set<KmsAction> out = new TreeSet<>((a, b) -> a.name().compareTo(b.name()));
    for (KmsAction action : AUTHORIZABLE) {
      AccessRequest.Builder r =
          AccessRequest.builder().principal(principal).action(action).resource(KEY_ARN);
      context.forEach(r::putContext);
      Decision d = ev.evaluate(r.build());
      if (d.isAllowed()) {
        out.add(action);
      }
    }
    return out;
  }

  static Set<KmsAction> set(Collection<KmsAction> actions) {
    Set<KmsAction> s = new TreeSet<>((a, b) -> a.name().compareTo(b.name()));
    s.addAll(actions);
    return s;
  }

  @Test
  void administrator_canDoExactlyTheAdministrationActions() {
    assertThat(allowed(evaluator(policy()), ADMIN, Map.of()))
        .isEqualTo(set(Actions.ADMINISTRATION));
  }

  @Test
  void administratorSession_canDoExactlyTheAdministrationActions() {
    assertThat(
            allowed(
                evaluator(policy()),
                "arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice",
                Map.of()))
        .isEqualTo(set(Actions.ADMINISTRATION));
  }

  @Test
  void user_canDoExactlyTheUserActions() {
    assertThat(allowed(evaluator(policy()), APP, Map.of()))
        .isEqualTo(set(KeyKind.SYMMETRIC_DEFAULT.userActions()));
  }

  @Test
  void grantUser_canManageGrantsOnlyForAwsResources() {
    // given
    KeyAccessEvaluator ev = evaluator(policy());
    Set<KmsAction> expected = set(KeyKind.SYMMETRIC_DEFAULT.userActions());
    expected.addAll(Actions.GRANTS);
    // then
    assertThat(allowed(ev, APP, Map.of("kms:GrantIsForAWSResource", "true"))).isEqualTo(expected);
    assertThat(allowed(ev, APP, Map.of("kms:GrantIsForAWSResource", "false")))
        .doesNotContain(KmsAction.CREATE_GRANT);
  }

  @Test
  void serviceUser_canUseOnlyThroughItsServiceAndRegion() {
    // given
    KeyAccessEvaluator ev = evaluator(policy());
    // then
    assertThat(allowed(ev, SVC, Map.of("kms:ViaService", "s3.us-east-1.amazonaws.com")))
        .isEqualTo(set(KeyKind.SYMMETRIC_DEFAULT.userActions()));
    assertThat(allowed(ev, SVC, Map.of("kms:ViaService", "s3.us-west-2.amazonaws.com"))).isEmpty();
    assertThat(allowed(ev, SVC, Map.of("kms:ViaService", "ec2.us-east-1.amazonaws.com"))).isEmpty();
    assertThat(allowed(ev, SVC, Map.of())).isEmpty();
  }

  @Test
  void serviceUserFromOtherAccountThroughTheService_isDenied() {
    // given: the pinned kms:CallerAccount fails for a caller in another account
    KeyAccessEvaluator ev = evaluator(policy());
    // then
    assertThat(
            allowed(
                ev,
                SVC,
                Map.of(
                    "kms:ViaService", "s3.us-east-1.amazonaws.com",
                    "kms:CallerAccount", "444455556666")))
        .isEmpty();
  }

  @Test
  void auditor_canDoExactlyTheReadOnlyList() {
    assertThat(allowed(evaluator(policy()), AUDIT, Map.of())).isEqualTo(set(Actions.AUDIT));
  }

  @Test
  void externalAuditor_canDoExactlyTheCrossAccountReads() {
    assertThat(allowed(evaluator(policy(), EXTERNAL_AUDIT), EXTERNAL_AUDIT, Map.of()))
        .isEqualTo(set(Actions.EXTERNAL_AUDIT));
  }

  @Test
  void crossAccountUser_canDoExactlyTheUserActions() {
    assertThat(allowed(evaluator(policy(), PARTNER), PARTNER, Map.of()))
        .isEqualTo(set(KeyKind.SYMMETRIC_DEFAULT.userActions()));
  }

  @Test
  void cloudWatchLogs_canEncryptOnlyForTheNamedLogGroup() {
    // given
    KeyAccessEvaluator ev = evaluator(policy());
    String logs = "logs.us-east-1.amazonaws.com";
    String key = "kms:EncryptionContext:aws:logs:arn";
    // then: KMS sends an encryption context only with the operations that take one, so the
    // statement's condition never holds for DescribeKey (KMS "GrantConstraints": management
    // operations such as DescribeKey do not support an encryption context)
    Set<KmsAction> withContext = new java.util.HashSet<>(KeyKind.SYMMETRIC_DEFAULT.userActions());
    withContext.remove(KmsAction.DESCRIBE_KEY);
    assertThat(
            allowed(
                ev, logs, Map.of(key, "arn:aws:logs:us-east-1:111122223333:log-group:/app/prod")))
        .isEqualTo(set(withContext));
    assertThat(
            allowed(ev, logs, Map.of(key, "arn:aws:logs:us-east-1:111122223333:log-group:/other")))
        .isEmpty();
  }

  @Test
  void breakGlassRole_canAdministerThroughRootButNotUse() {
    assertThat(allowed(evaluator(policy(), BREAK_GLASS), BREAK_GLASS, Map.of()))
        .isEqualTo(set(Actions.ADMINISTRATION));
  }

  @Test
  void strangerWithAnIamPolicyAllowingKms_canDoNothing() {
    assertThat(allowed(evaluator(policy(), STRANGER), STRANGER, Map.of())).isEmpty();
  }

  @Test
  void strangerInOtherAccount_canDoNothing() {
    String other = "arn:aws:iam::444455556666:role/NotPartner";
    assertThat(allowed(evaluator(policy(), other), other, Map.of())).isEmpty();
  }

  @Test
  void awsDefault_delegatesEverythingToIam() {
    // given
    KeyPolicy p = KeyPolicyPresets.awsDefault(ACCOUNT).policy();
    // then
    assertThat(allowed(evaluator(p, STRANGER), STRANGER, Map.of())).isEqualTo(set(AUTHORIZABLE));
    assertThat(allowed(evaluator(p), STRANGER, Map.of())).isEmpty();
  }

  @Test
  void resourceTag_userCanUseOnlyWhenTheKeyCarriesTheTag() {
    // given
    KeyPolicy p =
        KeyPolicyBuilder.forAccount(ACCOUNT)
            .administrators(ADMIN)
            .users(APP)
            .requireResourceTag("Environment", "prod")
            .buildPolicy();
    KeyAccessEvaluator ev = evaluator(p);
    // then
    assertThat(allowed(ev, APP, Map.of("aws:ResourceTag/Environment", "prod")))
        .isEqualTo(set(KeyKind.SYMMETRIC_DEFAULT.userActions()));
    assertThat(allowed(ev, APP, Map.of("aws:ResourceTag/Environment", "dev"))).isEmpty();
  }

  @Test
  void productionData_applicationRoleUsesOnlyThroughItsServices() {
    // given
    KeyPolicy p = KeyPolicyPresetsTest.production().policy();
    KeyAccessEvaluator ev = evaluator(p);
    // then
    assertThat(
            allowed(
                ev,
                KeyPolicyPresetsTest.APP,
                Map.of("kms:ViaService", "rds.us-east-1.amazonaws.com")))
        .isEqualTo(set(KeyKind.SYMMETRIC_DEFAULT.userActions()));
    assertThat(allowed(ev, KeyPolicyPresetsTest.APP, Map.of())).isEmpty();
    assertThat(allowed(ev, KeyPolicyPresetsTest.ADMIN, Map.of()))
        .isEqualTo(set(Actions.ADMINISTRATION));
  }
}
