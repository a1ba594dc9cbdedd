package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.access.Decision.Outcome;
import dev.kmsposture.policy.IdentityPolicy;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyParseException;
import dev.kmsposture.policy.StatementPlace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyAccessEvaluatorTest {
  static final String ACCOUNT = "111122223333";
  static final String OTHER = "444455556666";
  static final String KEY =
      "arn:aws:kms:us-east-1:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
  static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/app/AppRole";
  static final String SESSION = "arn:aws:sts::" + ACCOUNT + ":assumed-role/AppRole/session-1";
  static final String USER = "arn:aws:iam::" + ACCOUNT + ":user/alice";
  static final String ROOT = "arn:aws:iam::" + ACCOUNT + ":root";
  static final String OTHER_ROLE = "arn:aws:iam::" + OTHER + ":role/Partner";
  static final String OTHER_SESSION = "arn:aws:sts::" + OTHER + ":assumed-role/Partner/s";

  static KeyPolicy policy(String statements) {
    return KeyPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}");
  }

  static String allow(String sid, String principal, String action, String condition) {
    return stmt("Allow", sid, "\"Principal\": " + principal, action, condition);
  }

  static String deny(String sid, String principal, String action, String condition) {
    return stmt("Deny", sid, "\"Principal\": " + principal, action, condition);
  }

  static String stmt(String effect, String sid, String principal, String action, String cond) {
    return "{\"Sid\": \""
        + sid
        + "\", \"Effect\": \""
        + effect
        + "\", "
        + principal
        + ", \"Action\": \""
        + action
        + "\", \"Resource\": \"*\""
        + (cond.isEmpty() ? "" : ", \"Condition\": " + cond)
        + "}";
  }

  static String aws(String arn) {
    return "{\"AWS\": \"" + arn + "\"}";
  }

  static AccessRequest.Builder request(String principal, String action) {
    return AccessRequest.builder().principal(principal).action(action).resource(KEY);
  }

  static Decision decide(KeyPolicy p, AccessRequest r) {
    return KeyAccessEvaluator.builder().keyPolicy(p).keyArn(KEY).build().evaluate(r);
  }

  static final KeyPolicy DEFAULT =
      policy(allow("Enable IAM User Permissions", aws(ROOT), "kms:*", ""));

  static final IdentityPolicy DECRYPT_POLICY =
      IdentityPolicy.parse(
          "decrypt",
          "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"UseKey\", \"Effect\":"
              + " \"Allow\", \"Action\": [\"kms:Decrypt\", \"kms:Encrypt\"], \"Resource\":"
              + " \"arn:aws:kms:*:*:key/*\"}]}");

  // ---- same account ----

  @Test
  void evaluate_roleNamedDirectly_allowed() {
    KeyPolicy p = policy(allow("AllowUse", aws(ROLE), "kms:Decrypt", ""));
    Decision d = decide(p, request(ROLE, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.delegatedToIam()).isFalse();
    assertThat(d.explanation())
        .startsWith(
            "ALLOWED by key policy statement #0 [AllowUse] (/Statement/0): principal " + ROLE)
        .contains("action kms:Decrypt matches, no conditions");
    assertThat(d.statements())
        .containsExactly(
            new StatementRef(
                AccessSource.KEY_POLICY,
                "key policy",
                new StatementPlace(0, "AllowUse", "/Statement/0")));
  }

  @Test
  void evaluate_sessionOfNamedRole_allowedWhateverThePath() {
    KeyPolicy p = policy(allow("AllowUse", aws(ROLE), "kms:Decrypt", ""));
    Decision d = decide(p, request(SESSION, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.explanation()).contains("principal " + SESSION + " matches " + ROLE);
  }

  @Test
  void evaluate_sessionNamedBySessionArn_allowed() {
    KeyPolicy p = policy(allow("AllowSession", aws(SESSION), "kms:Decrypt", ""));
    assertThat(decide(p, request(SESSION, "kms:Decrypt").build()).isAllowed()).isTrue();
    assertThat(
            decide(
                    p,
                    request(
                            "arn:aws:sts::" + ACCOUNT + ":assumed-role/AppRole/other",
                            "kms:Decrypt")
                        .build())
                .outcome())
        .isEqualTo(Outcome.IMPLICITLY_DENIED);
  }

  @Test
  void evaluate_userNamedDirectly_allowedAndOtherUserDenied() {
    KeyPolicy p = policy(allow("AllowAlice", aws(USER), "kms:Encrypt", ""));
    assertThat(decide(p, request(USER, "kms:Encrypt").build()).isAllowed()).isTrue();
    Decision bob =
        decide(p, request("arn:aws:iam::" + ACCOUNT + ":user/bob", "kms:Encrypt").build());
    assertThat(bob.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(bob.explanation()).startsWith("IMPLICITLY_DENIED: no statement allows");
  }

  @Test
  void evaluate_actionNotListed_implicitlyDenied() {
    KeyPolicy p = policy(allow("AllowUse", aws(ROLE), "kms:Decrypt", ""));
    Decision d = decide(p, request(ROLE, "kms:PutKeyPolicy").build());
    assertThat(d.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(d.explanation()).contains("no statement allows " + ROLE + " to kms:PutKeyPolicy");
  }

  // ---- root delegation ----

  @Test
  void evaluate_rootDelegationWithoutIdentityPolicies_implicitlyDeniedDelegated() {
    Decision d = decide(DEFAULT, request(ROLE, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(d.delegatedToIam()).isTrue();
    assertThat(d.explanation())
        .contains("delegates to the IAM policies of account " + ACCOUNT)
        .contains("the caller's IAM policies would decide");
    assertThat(d.notSupplied()).contains("the caller's IAM policies");
    assertThat(d.statements())
        .extracting(r -> java.util.Objects.requireNonNull(r.place()).sid())
        .containsExactly("Enable IAM User Permissions");
  }

  @Test
  void evaluate_rootDelegationWithAllowingIdentityPolicy_allowedDelegated() {
    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder()
            .keyPolicy(DEFAULT)
            .keyArn(KEY)
            .addIdentityPolicy(ROLE, DECRYPT_POLICY)
            .build();
    Decision d = e.evaluate(request(SESSION, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.delegatedToIam()).isTrue();
    assertThat(d.explanation()).contains("identity policy decrypt statement #0 [UseKey]");
    assertThat(d.statements())
        .extracting(StatementRef::source)
        .containsExactly("key policy", "identity policy decrypt");
  }

  @Test
  void evaluate_rootDelegationWithIdentityPolicyNotCoveringAction_implicitlyDenied() {
    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder()
            .keyPolicy(DEFAULT)
            .keyArn(KEY)
            .addIdentityPolicy(ROLE, DECRYPT_POLICY)
            .build();
    Decision d = e.evaluate(request(ROLE, "kms:ScheduleKeyDeletion").build());
    assertThat(d.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(d.delegatedToIam()).isTrue();
    assertThat(d.explanation()).contains("do not allow kms:ScheduleKeyDeletion");
  }

  @Test
  void evaluate_rootUserWithAccountPrincipal_allowedDirectly() {
    Decision d = decide(DEFAULT, request(ROOT, "kms:PutKeyPolicy").build());
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.delegatedToIam()).isFalse();
    assertThat(d.explanation()).contains("(the account's root user) matches " + ROOT);
  }

  @Test
  void evaluate_bareAccountIdPrincipal_delegatesLikeRootArn() {
    KeyPolicy p = policy(allow("Acct", aws(ACCOUNT), "kms:*", ""));
    Decision d = decide(p, request(USER, "kms:Decrypt").build());
    assertThat(d.delegatedToIam()).isTrue();
    assertThat(decide(p, request(ACCOUNT, "kms:Decrypt").build()).isAllowed()).isTrue();
  }

  @Test
  void evaluate_identityPolicyWithoutKeyPolicyDelegation_implicitlyDenied() {
    KeyPolicy p =
        policy(allow("OnlyAdmin", aws("arn:aws:iam::" + ACCOUNT + ":role/Admin"), "kms:*", ""));
    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder()
            .keyPolicy(p)
            .keyArn(KEY)
            .addIdentityPolicy(ROLE, DECRYPT_POLICY)
            .build();
    Decision d = e.evaluate(request(ROLE, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(d.explanation()).contains("the key policy does not let IAM policies allow account");
  }

  // ---- cross-account ----

  @Test
  void evaluate_crossAccountWithBothPolicies_allowed() {
    KeyPolicy p =
        policy(allow("Partner", aws("arn:aws:iam::" + OTHER + ":root"), "kms:Decrypt", ""));
    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder()
            .keyPolicy(p)
            .keyArn(KEY)
            .addIdentityPolicy(OTHER_ROLE, DECRYPT_POLICY)
            .build();
    Decision d = e.evaluate(request(OTHER_SESSION, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.statements()).hasSize(2);
  }

  @Test
  void evaluate_crossAccountRoleNamedWithoutIdentityPolicy_implicitlyDeniedDelegated() {
    KeyPolicy p = policy(allow("Partner", aws(OTHER_ROLE), "kms:Decrypt", ""));
    Decision d = decide(p, request(OTHER_SESSION, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(d.delegatedToIam()).isTrue();
    assertThat(d.explanation())
        .contains("cross-account request from account " + OTHER)
        .contains("the caller's IAM policies must allow it too");
  }

  @Test
  void evaluate_crossAccountPutKeyPolicy_neverAllowed() {
    KeyPolicy p = policy(allow("Partner", aws("arn:aws:iam::" + OTHER + ":root"), "kms:*", ""));
    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder()
            .keyPolicy(p)
            .keyArn(KEY)
            .addIdentityPolicy(
                OTHER_ROLE,
                IdentityPolicy.parse(
                    "all",
                    "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"kms:*\", \"Resource\": \"*\"}}"))
            .build();
    Decision d = e.evaluate(request(OTHER_ROLE, "kms:PutKeyPolicy").build());
    assertThat(d.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(d.explanation()).contains("kms:PutKeyPolicy cannot be used across accounts");
    assertThat(
            e.evaluate(request("arn:aws:iam::" + OTHER + ":root", "kms:PutKeyPolicy").build())
                .isAllowed())
        .isFalse();
  }

  @Test
  void evaluate_externalRootUser_allowedWithoutIdentityPolicy() {
    KeyPolicy p =
        policy(allow("Partner", aws("arn:aws:iam::" + OTHER + ":root"), "kms:Decrypt", ""));
    assertThat(decide(p, request(OTHER, "kms:Decrypt").build()).isAllowed()).isTrue();
  }

  // ---- explicit deny ----

  @Test
  void evaluate_denyAndAllow_explicitDenyWins() {
    KeyPolicy p =
        policy(
            allow("AllowAll", "\"*\"", "kms:*", "")
                + ","
                + deny("DenyDelete", aws(ROLE), "kms:ScheduleKeyDeletion", ""));
    Decision d = decide(p, request(SESSION, "kms:ScheduleKeyDeletion").build());
    assertThat(d.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
    assertThat(d.explanation())
        .startsWith("EXPLICITLY_DENIED by key policy statement #1 [DenyDelete] (/Statement/1)");
  }

  @Test
  void evaluate_identityPolicyDeny_winsOverKeyPolicyAllow() {
    KeyPolicy p = policy(allow("AllowRole", aws(ROLE), "kms:*", ""));
    IdentityPolicy deny =
        IdentityPolicy.parse(
            "guard",
            "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"NoDecrypt\", \"Effect\": \"Deny\","
                + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}}");
    Decision d =
        KeyAccessEvaluator.builder()
            .keyPolicy(p)
            .keyArn(KEY)
            .addIdentityPolicy(ROLE, deny)
            .build()
            .evaluate(request(ROLE, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
    assertThat(d.explanation()).contains("identity policy guard statement #0 [NoDecrypt]");
  }

  @Test
  void evaluate_anonymous_neverAllowed() {
    KeyPolicy p = policy(allow("Public", "\"*\"", "kms:*", ""));
    Decision d = decide(p, request("anonymous", "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(d.explanation()).contains("anonymous requests are never allowed");
  }

  // ---- NotPrincipal ----

  static final KeyPolicy NOT_PRINCIPAL_DENY =
      policy(
          allow("AllowAll", "\"*\"", "kms:*", "")
              + ","
              + stmt(
                  "Deny",
                  "DenyOthers",
                  "\"NotPrincipal\": {\"AWS\": [\"" + ROOT + "\", \"" + ROLE + "\"]}",
                  "kms:*",
                  ""));

  @Test
  void evaluate_notPrincipalDenyNamingAccount_exemptsRootOnly() {
    assertThat(decide(NOT_PRINCIPAL_DENY, request(ROOT, "kms:Decrypt").build()).isAllowed())
        .isTrue();
    Decision user = decide(NOT_PRINCIPAL_DENY, request(USER, "kms:Decrypt").build());
    assertThat(user.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
    assertThat(user.explanation()).contains("is not exempted by NotPrincipal");
  }

  @Test
  void evaluate_notPrincipalDenyNamingRoleOnly_doesNotExemptItsSession() {
    Decision d = decide(NOT_PRINCIPAL_DENY, request(SESSION, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
  }

  // A role calls only through sessions; a request naming the role stands for one of them.
  @Test
  void evaluate_notPrincipalDenyNamingRoleOnly_doesNotExemptTheRole() {
    Decision d = decide(NOT_PRINCIPAL_DENY, request(ROLE, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
  }

  @Test
  void evaluate_notPrincipalDenyNamingRoleAndAllItsSessions_exemptsTheRole() {
    KeyPolicy p =
        policy(
            allow("AllowAll", "\"*\"", "kms:*", "")
                + ","
                + stmt(
                    "Deny",
                    "DenyOthers",
                    "\"NotPrincipal\": {\"AWS\": [\""
                        + ROLE
                        + "\", \""
                        + SESSION.substring(0, SESSION.lastIndexOf('/') + 1)
                        + "*\"]}",
                    "kms:*",
                    ""));
    assertThat(decide(p, request(ROLE, "kms:Decrypt").build()).isAllowed()).isTrue();
  }

  @Test
  void evaluate_notPrincipalDenyNamingRoleAndSession_exemptsSession() {
    KeyPolicy p =
        policy(
            allow("AllowAll", "\"*\"", "kms:*", "")
                + ","
                + stmt(
                    "Deny",
                    "DenyOthers",
                    "\"NotPrincipal\": {\"AWS\": [\"" + ROLE + "\", \"" + SESSION + "\"]}",
                    "kms:*",
                    ""));
    assertThat(decide(p, request(SESSION, "kms:Decrypt").build()).isAllowed()).isTrue();
  }

  @Test
  void evaluate_notPrincipalDenyWithPermissionsBoundary_denied() {
    Decision d =
        decide(NOT_PRINCIPAL_DENY, request(ROLE, "kms:Decrypt").permissionsBoundary(true).build());
    assertThat(d.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
    assertThat(d.explanation()).contains("permissions boundary");
  }

  @Test
  void evaluate_allowWithNotPrincipal_allowsEveryoneElse() {
    KeyPolicy p =
        policy(
            stmt(
                "Allow",
                "Odd",
                "\"NotPrincipal\": {\"AWS\": \"" + USER + "\"}",
                "kms:Decrypt",
                ""));
    Decision d = decide(p, request(OTHER_ROLE, "kms:Decrypt").build());
    assertThat(d.delegatedToIam()).isTrue();
    Decision same = decide(p, request(ROLE, "kms:Decrypt").build());
    assertThat(same.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(same.explanation()).contains("is not excluded by NotPrincipal");
    assertThat(decide(p, request(USER, "kms:Decrypt").build()).isAllowed()).isFalse();
  }

  // ---- unusual principals ----

  @Test
  void evaluate_partialWildcardAccountRoot_matchesEveryPrincipalOfAnyAccount() {
    KeyPolicy p = policy(allow("Wild", aws("arn:aws:iam::*:root"), "kms:Decrypt", ""));
    Decision d = decide(p, request(ROLE, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.explanation())
        .contains("partial wildcard arn:aws:iam::*:root (not accepted by IAM");
  }

  @Test
  void evaluate_uniqueIdPrincipal_matchesNobody() {
    KeyPolicy p = policy(allow("Deleted", aws("AROAEXAMPLEID1234567"), "kms:Decrypt", ""));
    assertThat(decide(p, request(ROLE, "kms:Decrypt").build()).outcome())
        .isEqualTo(Outcome.IMPLICITLY_DENIED);
  }

  @Test
  void evaluate_servicePrincipalWithArnLikeEncryptionContext_allowed() {
    KeyPolicy p =
        policy(
            allow(
                "Logs",
                "{\"Service\": \"logs.us-east-1.amazonaws.com\"}",
                "kms:GenerateDataKey*",
                "{\"ArnLike\": {\"kms:EncryptionContext:aws:logs:arn\": \"arn:aws:logs:us-east-1:"
                    + ACCOUNT
                    + ":log-group:*\"}}"));
    Decision d =
        decide(
            p,
            request("logs.us-east-1.amazonaws.com", "kms:GenerateDataKey")
                .putContext(
                    "kms:EncryptionContext:aws:logs:arn",
                    "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:app")
                .build());
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.explanation())
        .contains("conditions hold (kms:EncryptionContext:aws:logs:arn=arn:aws:logs");
    Decision other =
        decide(
            p,
            request("logs.us-east-1.amazonaws.com", "kms:GenerateDataKey")
                .putContext(
                    "kms:EncryptionContext:aws:logs:arn",
                    "arn:aws:logs:us-east-1:" + OTHER + ":log-group:app")
                .build());
    assertThat(other.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(other.explanation())
        .contains("nearest: key policy statement #0 [Logs]")
        .contains("does not hold");
  }

  @Test
  void evaluate_wildcardAwsPrincipal_matchesServicePrincipals() {
    KeyPolicy p = policy(allow("Everyone", aws("*"), "kms:Decrypt", ""));
    assertThat(decide(p, request("s3.amazonaws.com", "kms:Decrypt").build()).isAllowed()).isTrue();
  }

  // ---- conditions ----

  static Decision withCondition(String condition, AccessRequest.Builder r) {
    return withCondition(condition, "kms:Decrypt", r);
  }

  static Decision withCondition(String condition, String action, AccessRequest.Builder r) {
    return decide(policy(allow("C", aws(ROLE), action, condition)), r.build());
  }

  @Test
  void condition_viaService_matchesOnlyThatService() {
    String c = "{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}";
    Decision d =
        withCondition(
            c,
            request(ROLE, "kms:Decrypt")
                .putContext("kms:viaservice", "s3.us-east-1.amazonaws.com"));
    assertThat(d.isAllowed()).isTrue();
    assertThat(d.explanation())
        .contains("conditions hold (kms:ViaService=s3.us-east-1.amazonaws.com)");
    Decision absent = withCondition(c, request(ROLE, "kms:Decrypt"));
    assertThat(absent.isAllowed()).isFalse();
    assertThat(absent.explanation()).contains("does not hold (request: absent)");
  }

  @Test
  void condition_ifExists_trueWhenKeyAbsent() {
    String c = "{\"StringEqualsIfExists\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}";
    assertThat(withCondition(c, request(ROLE, "kms:Decrypt")).isAllowed()).isTrue();
    assertThat(
            withCondition(
                    c,
                    request(ROLE, "kms:Decrypt")
                        .putContext("kms:ViaService", "ec2.us-east-1.amazonaws.com"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_forAllValues_trueOnEmptyAndAbsentSet() {
    String c = "{\"ForAllValues:StringEquals\": {\"kms:EncryptionContextKeys\": [\"a\", \"b\"]}}";
    assertThat(withCondition(c, request(ROLE, "kms:Decrypt")).isAllowed()).isTrue();
    assertThat(
            withCondition(
                    c,
                    request(ROLE, "kms:Decrypt").putContext("kms:EncryptionContextKeys", List.of()))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    c,
                    request(ROLE, "kms:Decrypt")
                        .putContext("kms:EncryptionContextKeys", List.of("a", "b")))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    c,
                    request(ROLE, "kms:Decrypt")
                        .putContext("kms:EncryptionContextKeys", List.of("a", "c")))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_forAnyValue_falseOnEmptySet() {
    String c = "{\"ForAnyValue:StringEquals\": {\"kms:EncryptionContextKeys\": \"a\"}}";
    assertThat(
            withCondition(
                    c,
                    request(ROLE, "kms:Decrypt").putContext("kms:EncryptionContextKeys", List.of()))
                .isAllowed())
        .isFalse();
    assertThat(withCondition(c, request(ROLE, "kms:Decrypt")).isAllowed()).isFalse();
    assertThat(
            withCondition(
                    c,
                    request(ROLE, "kms:Decrypt")
                        .putContext("kms:EncryptionContextKeys", List.of("z", "a")))
                .isAllowed())
        .isTrue();
  }

  @Test
  void condition_negatedOperator_trueWhenKeyAbsentAndWhenNoValueMatches() {
    String c =
        "{\"StringNotEquals\": {\"kms:CallerAccount\": [\"999999999999\", \"888888888888\"]}}";
    assertThat(withCondition(c, request(ROLE, "kms:Decrypt")).isAllowed()).isTrue();
    assertThat(
            withCondition(
                    c, request(ROLE, "kms:Decrypt").putContext("kms:CallerAccount", "888888888888"))
                .isAllowed())
        .isFalse();
    String multi = "{\"StringNotLike\": {\"kms:EncryptionContextKeys\": \"secret*\"}}";
    assertThat(
            withCondition(
                    multi,
                    request(ROLE, "kms:Decrypt")
                        .putContext("kms:EncryptionContextKeys", List.of("a", "secretX")))
                .isAllowed())
        .isFalse();
    String all = "{\"ForAllValues:StringNotLike\": {\"kms:EncryptionContextKeys\": \"secret*\"}}";
    assertThat(
            withCondition(
                    all,
                    request(ROLE, "kms:Decrypt")
                        .putContext("kms:EncryptionContextKeys", List.of("a", "b")))
                .isAllowed())
        .isTrue();
  }

  @Test
  void condition_keyNameCaseInsensitiveAndValuesOred() {
    String c =
        "{\"StringEquals\": {\"KMS:CALLERACCOUNT\": [\"999999999999\", \"" + ACCOUNT + "\"]}}";
    Decision d = withCondition(c, request(ROLE, "kms:Decrypt"));
    assertThat(d.isAllowed()).as(d.explanation()).isTrue();
  }

  @Test
  void condition_operatorsAnded() {
    String c =
        "{\"StringEquals\": {\"kms:CallerAccount\": \""
            + ACCOUNT
            + "\"}, \"Bool\": {\"aws:SecureTransport\": true}}";
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:SecureTransport", "true"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    c, request(ROLE, "kms:Decrypt").putContext("aws:SecureTransport", "false"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_stringLikeAndIgnoreCase() {
    assertThat(
            withCondition(
                    "{\"StringLike\": {\"aws:x\": \"ab?d*\"}}",
                    request(ROLE, "kms:Decrypt").putContext("aws:x", "abcdef"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    "{\"StringLike\": {\"aws:x\": \"AB*\"}}",
                    request(ROLE, "kms:Decrypt").putContext("aws:x", "abc"))
                .isAllowed())
        .isFalse();
    assertThat(
            withCondition(
                    "{\"StringEqualsIgnoreCase\": {\"aws:x\": \"ABC\"}}",
                    request(ROLE, "kms:Decrypt").putContext("aws:x", "abc"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    "{\"StringNotEqualsIgnoreCase\": {\"aws:x\": \"ABC\"}}",
                    request(ROLE, "kms:Decrypt").putContext("aws:x", "abc"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_stringLikePrefixSuffixAndStarShapes() {
    AccessRequest.Builder r =
        request(ROLE, "kms:Decrypt").putContext("kms:ViaService", "s3.us-east-1.amazonaws.com");
    assertThat(
            withCondition(
                    "{\"StringLike\": {\"kms:ViaService\": \"*.us-east-1.amazonaws.com\"}}", r)
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    "{\"StringLike\": {\"kms:ViaService\": \"*.us-west-2.amazonaws.com\"}}", r)
                .isAllowed())
        .isFalse();
    assertThat(withCondition("{\"StringLike\": {\"kms:ViaService\": \"s3.*\"}}", r).isAllowed())
        .isTrue();
    assertThat(withCondition("{\"StringLike\": {\"kms:ViaService\": \"ec2.*\"}}", r).isAllowed())
        .isFalse();
    assertThat(withCondition("{\"StringLike\": {\"kms:ViaService\": \"**\"}}", r).isAllowed())
        .isTrue();
    assertThat(withCondition("{\"StringLike\": {\"kms:ViaService\": \"*east*\"}}", r).isAllowed())
        .isTrue();
  }

  @Test
  void condition_ipAddressIpv4AndIpv6() {
    String c = "{\"IpAddress\": {\"aws:SourceIp\": [\"203.0.113.0/24\", \"2001:db8::/32\"]}}";
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:SourceIp", "203.0.113.7"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:SourceIp", "203.0.114.7"))
                .isAllowed())
        .isFalse();
    assertThat(
            withCondition(
                    c, request(ROLE, "kms:Decrypt").putContext("aws:SourceIp", "2001:db8:1::5"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:SourceIp", "2001:db9::5"))
                .isAllowed())
        .isFalse();
    String not = "{\"NotIpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}";
    assertThat(
            withCondition(not, request(ROLE, "kms:Decrypt").putContext("aws:SourceIp", "10.1.2.3"))
                .isAllowed())
        .isFalse();
    assertThat(
            withCondition(not, request(ROLE, "kms:Decrypt").putContext("aws:SourceIp", "11.1.2.3"))
                .isAllowed())
        .isTrue();
  }

  @Test
  void condition_dateIsoAndEpoch() {
    String c =
        "{\"DateLessThan\": {\"aws:CurrentTime\": \"2030-01-01T00:00:00Z\"}, \"DateGreaterThan\": {\"aws:EpochTime\": \"1577836800\"}}";
    AccessRequest.Builder ok =
        request(ROLE, "kms:Decrypt")
            .putContext("aws:CurrentTime", "2026-11-28T12:00:00Z")
            .putContext("aws:EpochTime", "2026-01-01");
    assertThat(withCondition(c, ok).isAllowed()).isTrue();
    AccessRequest.Builder late =
        request(ROLE, "kms:Decrypt")
            .putContext("aws:CurrentTime", "2031-01-01T00:00:00+02:00")
            .putContext("aws:EpochTime", "1800000000");
    assertThat(withCondition(c, late).isAllowed()).isFalse();
  }

  @Test
  void condition_numeric() {
    String c =
        "{\"NumericLessThanEquals\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\": 30}, \"NumericGreaterThan\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\": \"7\"}}";
    assertThat(
            withCondition(
                    c,
                    "kms:ScheduleKeyDeletion",
                    request(ROLE, "kms:ScheduleKeyDeletion")
                        .putContext("kms:ScheduleKeyDeletionPendingWindowInDays", "30"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    c,
                    "kms:ScheduleKeyDeletion",
                    request(ROLE, "kms:ScheduleKeyDeletion")
                        .putContext("kms:ScheduleKeyDeletionPendingWindowInDays", "7"))
                .isAllowed())
        .isFalse();
    assertThat(
            withCondition(
                    c,
                    "kms:ScheduleKeyDeletion",
                    request(ROLE, "kms:ScheduleKeyDeletion")
                        .putContext("kms:ScheduleKeyDeletionPendingWindowInDays", "x"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_requestParameterOfAnotherOperation_isIgnored() {
    // KMS never sends kms:GrantIsForAWSResource with Decrypt: the key is read as absent.
    String c = "{\"Bool\": {\"kms:GrantIsForAWSResource\": true}}";
    assertThat(
            withCondition(
                    c, request(ROLE, "kms:Decrypt").putContext("kms:GrantIsForAWSResource", "true"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_boolWithJsonBoolean() {
    String c = "{\"Bool\": {\"kms:GrantIsForAWSResource\": true}}";
    assertThat(
            withCondition(
                    c,
                    "kms:CreateGrant",
                    request(ROLE, "kms:CreateGrant")
                        .putContext("kms:GrantIsForAWSResource", "true"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    c,
                    "kms:CreateGrant",
                    request(ROLE, "kms:CreateGrant")
                        .putContext("kms:GrantIsForAWSResource", "false"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_binaryEqualsComparesDecodedBytes() {
    String c = "{\"BinaryEquals\": {\"aws:x\": \"QmluYXJ5\"}}";
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:x", "QmluYXJ5"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:x", "QmluYXJ6"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_arnLikePerSegment() {
    String c = "{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/app/*\"}}";
    Decision d = withCondition(c, request(ROLE, "kms:Decrypt"));
    assertThat(d.isAllowed()).as(d.explanation()).isTrue();
    String segment = "{\"ArnEquals\": {\"aws:SourceArn\": \"arn:aws:s3:::bucket*\"}}";
    assertThat(
            withCondition(
                    segment,
                    request(ROLE, "kms:Decrypt")
                        .putContext("aws:SourceArn", "arn:aws:s3:::bucket-1"))
                .isAllowed())
        .isTrue();
    assertThat(
            withCondition(
                    segment,
                    request(ROLE, "kms:Decrypt")
                        .putContext("aws:SourceArn", "arn:aws:s3:us-east-1::bucket-1"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_nullOperator() {
    String c = "{\"Null\": {\"aws:SourceVpce\": \"true\"}}";
    assertThat(withCondition(c, request(ROLE, "kms:Decrypt")).isAllowed()).isTrue();
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:SourceVpce", "vpce-1"))
                .isAllowed())
        .isFalse();
  }

  @Test
  void condition_emptyValueList_neverMatches() {
    String c = "{\"StringEquals\": {\"aws:x\": []}}";
    assertThat(withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:x", "a")).isAllowed())
        .isFalse();
    assertThat(
            withCondition(
                    "{\"StringEqualsIfExists\": {\"aws:x\": []}}", request(ROLE, "kms:Decrypt"))
                .isAllowed())
        .isTrue();
  }

  @Test
  void condition_sessionPrincipalArnWithoutRolePath_cannotTell() {
    String c = "{\"ArnLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::" + ACCOUNT + ":role/*\"}}";
    Decision d = withCondition(c, request(SESSION, "kms:Decrypt"));
    assertThat(d.outcome()).isEqualTo(Outcome.IMPLICITLY_DENIED);
    assertThat(d.explanation())
        .contains("aws:PrincipalArn is unknown: the role path of session")
        .contains("not counted");
    Decision known = withCondition(c, request(SESSION, "kms:Decrypt").rolePath("/app/"));
    assertThat(known.isAllowed()).isTrue();
  }

  @Test
  void condition_unknownValueInDeny_treatedAsApplying() {
    KeyPolicy p =
        policy(
            allow("AllowAll", aws(ROLE), "kms:*", "")
                + ","
                + deny(
                    "DenyOthers",
                    "\"*\"",
                    "kms:*",
                    "{\"StringNotLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::"
                        + ACCOUNT
                        + ":role/app/*\"}}"));
    Decision d = decide(p, request(SESSION, "kms:Decrypt").build());
    assertThat(d.outcome()).isEqualTo(Outcome.EXPLICITLY_DENIED);
    assertThat(d.explanation()).contains("cannot be evaluated").contains("treated as applying");
    assertThat(decide(p, request(SESSION, "kms:Decrypt").rolePath("/app/").build()).isAllowed())
        .isTrue();
  }

  @Test
  void condition_unknownOperator_notCountedForAllowAppliesForDeny() {
    Decision allow =
        withCondition(
            "{\"StringFuzzy\": {\"aws:x\": \"a\"}}",
            request(ROLE, "kms:Decrypt").putContext("aws:x", "a"));
    assertThat(allow.isAllowed()).isFalse();
    assertThat(allow.explanation()).contains("operator StringFuzzy is unknown");
    KeyPolicy p =
        policy(
            allow("A", aws(ROLE), "kms:*", "")
                + ","
                + deny("D", "\"*\"", "kms:*", "{\"StringFuzzy\": {\"aws:x\": \"a\"}}"));
    assertThat(decide(p, request(ROLE, "kms:Decrypt").build()).outcome())
        .isEqualTo(Outcome.EXPLICITLY_DENIED);
  }

  @Test
  void condition_policyVariablesSubstitutedOnlyUnder2012() {
    String stmt =
        allow(
            "Own",
            aws(USER),
            "kms:Decrypt",
            "{\"StringEquals\": {\"kms:EncryptionContext:owner\": \"${aws:username}\"}}");
    AccessRequest r =
        request(USER, "kms:Decrypt").putContext("kms:EncryptionContext:owner", "alice").build();
    assertThat(decide(policy(stmt), r).isAllowed()).isTrue();
    KeyPolicy v2008 =
        KeyPolicy.parse("{\"Version\": \"2008-10-17\", \"Statement\": [" + stmt + "]}");
    assertThat(decide(v2008, r).isAllowed()).isFalse();
    AccessRequest literal =
        request(USER, "kms:Decrypt")
            .putContext("kms:EncryptionContext:owner", "${aws:username}")
            .build();
    assertThat(decide(v2008, literal).isAllowed()).isTrue();
  }

  @Test
  void condition_policyVariableEscapesAreLiteral() {
    String c = "{\"StringLike\": {\"aws:x\": \"a${*}b\"}}";
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:x", "a*b")).isAllowed())
        .isTrue();
    assertThat(
            withCondition(c, request(ROLE, "kms:Decrypt").putContext("aws:x", "aXb")).isAllowed())
        .isFalse();
    String missing = "{\"StringEquals\": {\"aws:x\": \"${aws:PrincipalTag/team}\"}}";
    assertThat(
            withCondition(missing, request(ROLE, "kms:Decrypt").putContext("aws:x", ""))
                .isAllowed())
        .isFalse();
    assertThat(
            withCondition(
                    missing,
                    request(ROLE, "kms:Decrypt")
                        .putContext("aws:x", "blue")
                        .putContext("aws:PrincipalTag/team", "blue"))
                .isAllowed())
        .isTrue();
  }

  // ---- grants ----

  @Test
  void grant_withEncryptionContextSubset_allowsMatchingContextOnly() {
    Grant g =
        new Grant(
            "g-1",
            null,
            ROLE,
            null,
            List.of("Decrypt"),
            Map.of(),
            Map.of("Department", "IT"),
            null);
    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder().keyPolicy(DEFAULT).keyArn(KEY).addGrant(g).build();
    Decision d =
        e.evaluate(
            request(SESSION, "kms:Decrypt")
                .putContext("kms:EncryptionContext:department", "IT")
                .putContext("kms:EncryptionContext:x", "y")
                .build());
    assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(d.explanation())
        .startsWith("ALLOWED by grant g-1")
        .contains("EncryptionContextSubset");
    assertThat(
            e.evaluate(
                    request(SESSION, "kms:Decrypt")
                        .putContext("kms:EncryptionContext:Department", "it")
                        .build())
                .isAllowed())
        .isFalse();
    assertThat(
            e.evaluate(
                    request(SESSION, "kms:Encrypt")
                        .putContext("kms:EncryptionContext:Department", "IT")
                        .build())
                .isAllowed())
        .isFalse();
  }

  @Test
  void grant_withEncryptionContextEquals_requiresExactMap() {
    Grant g =
        new Grant(
            "g-2",
            "n",
            ROLE,
            null,
            List.of("Decrypt", "DescribeKey"),
            Map.of("a", "1"),
            Map.of(),
            null);
    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder().keyPolicy(DEFAULT).keyArn(KEY).addGrant(g).build();
    assertThat(
            e.evaluate(
                    request(ROLE, "kms:Decrypt").putContext("kms:EncryptionContext:a", "1").build())
                .isAllowed())
        .isTrue();
    assertThat(
            e.evaluate(
                    request(ROLE, "kms:Decrypt")
                        .putContext("kms:EncryptionContext:a", "1")
                        .putContext("kms:EncryptionContext:b", "2")
                        .build())
                .isAllowed())
        .isFalse();
    Decision describe = e.evaluate(request(ROLE, "kms:DescribeKey").build());
    assertThat(describe.isAllowed()).isTrue();
    assertThat(describe.explanation()).contains("does not apply to this operation");
  }

  @Test
  void grant_neverOverridesExplicitDeny() {
    KeyPolicy p =
        policy(allow("A", aws(ROOT), "kms:*", "") + "," + deny("D", "\"*\"", "kms:Decrypt", ""));
    KeyAccessEvaluator e =
        KeyAccessEvaluator.builder()
            .keyPolicy(p)
            .keyArn(KEY)
            .addGrant(Grant.of("g-3", ROLE, List.of("Decrypt")))
            .build();
    assertThat(e.evaluate(request(ROLE, "kms:Decrypt").build()).outcome())
        .isEqualTo(Outcome.EXPLICITLY_DENIED);
  }

  @Test
  void grant_unknownOperation_rejected() {
    assertThatThrownBy(() -> Grant.of("g", ROLE, List.of("PutKeyPolicy")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("grant operation [PutKeyPolicy]");
  }

  // ---- requests and parsing ----

  @Test
  void accessRequest_derivesPrincipalKeysAndGivenContextWins() {
    AccessRequest r = request(USER, "kms:Decrypt").build();
    assertThat(r.contextValues("AWS:PRINCIPALARN")).contains(List.of(USER));
    assertThat(r.contextValues("kms:CallerAccount")).contains(List.of(ACCOUNT));
    AccessRequest given =
        request(USER, "kms:Decrypt").putContext("kms:CallerAccount", OTHER).build();
    assertThat(given.contextValues("kms:calleraccount")).contains(List.of(OTHER));
    AccessRequest session = request(SESSION, "kms:Decrypt").build();
    assertThat(session.isUnknown("aws:PrincipalArn")).isTrue();
    assertThat(session.contextValues("aws:PrincipalArn")).isEmpty();
    assertThat(
            request(SESSION, "kms:Decrypt")
                .rolePath("/app/")
                .build()
                .contextValues("aws:PrincipalArn"))
        .contains(List.of(ROLE));
  }

  @Test
  void accessRequest_badPrincipal_rejected() {
    assertThatThrownBy(
            () -> request("arn:aws:iam::" + ACCOUNT + ":group/admins", "kms:Decrypt").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a caller");
  }

  @Test
  void identityPolicy_withPrincipal_rejectedWithPointer() {
    assertThatThrownBy(
            () ->
                IdentityPolicy.parse(
                    "p",
                    "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\"}]}"))
        .isInstanceOf(PolicyParseException.class)
        .extracting(e -> ((PolicyParseException) e).pointer())
        .isEqualTo("/Statement/0/Principal");
  }

  @Test
  void evaluate_notResourceAndNotAction() {
    KeyPolicy p =
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": "
                + aws(ROLE)
                + ", \"NotAction\": \"kms:PutKeyPolicy\", \"Resource\": \"*\"},"
                + "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"NotResource\": \""
                + KEY
                + "\"}");
    assertThat(decide(p, request(ROLE, "kms:Decrypt").build()).isAllowed()).isTrue();
    assertThat(decide(p, request(ROLE, "kms:PutKeyPolicy").build()).isAllowed()).isFalse();
  }

  @Test
  void evaluate_statementWithoutResource_hasNoEffect() {
    KeyPolicy p =
        policy("{\"Effect\": \"Allow\", \"Principal\": " + aws(ROLE) + ", \"Action\": \"kms:*\"}");
    assertThat(decide(p, request(ROLE, "kms:Decrypt").build()).isAllowed()).isFalse();
  }

  @Test
  void evaluate_staticConvenience_usesRequestKey() {
    KeyPolicy p = policy(allow("A", aws(ROLE), "kms:Decrypt", ""));
    assertThat(KeyAccessEvaluator.evaluate(p, request(ROLE, "kms:Decrypt").build()).isAllowed())
        .isTrue();
    AccessRequest noKey = AccessRequest.builder().principal(ROLE).action("kms:Decrypt").build();
    assertThatThrownBy(() -> KeyAccessEvaluator.evaluate(p, noKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no key");
  }
}
