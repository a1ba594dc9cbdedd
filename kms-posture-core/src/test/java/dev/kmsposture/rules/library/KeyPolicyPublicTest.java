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
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyPolicyPublicTest {
  private static final KeyPolicyPublic RULE = new KeyPolicyPublic();

  private static String publicUse(String condition) {
    return """
        {"Sid": "Use", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"%s}"""
        .formatted(condition.isEmpty() ? "" : ", \"Condition\": " + condition);
  }

  private static List<Finding> checkPolicy(String policy) {
    return check(RULE, cmk("prod-app").policy(policy).snapshot());
  }

  private static String statement(String effect, String principal, String condition) {
    return """
        {"Sid": "Row", "Effect": "%s", %s, "Action": "kms:Decrypt", "Resource": "*"%s}"""
        .formatted(effect, principal, condition.isEmpty() ? "" : ", \"Condition\": " + condition);
  }

  private static Arguments row(String name, String principal, String condition, Status status) {
    return Arguments.of(Named.of(name, rootAnd(statement("Allow", principal, condition))), status);
  }

  /** The issue-3 "is this key policy public?" matrix, judged by the rule. */
  static Stream<Arguments> publicMatrix() {
    String any = "\"Principal\": {\"AWS\": \"*\"}";
    return Stream.of(
        row("no condition", any, "", Status.FAIL),
        row(
            "own kms:CallerAccount",
            any,
            "{\"StringEquals\": {\"kms:CallerAccount\": \"111122223333\"}}",
            Status.PASS),
        row(
            "other kms:CallerAccount",
            any,
            "{\"StringEquals\": {\"kms:CallerAccount\": \"444455556666\"}}",
            Status.PASS),
        row(
            "kms:ViaService only",
            any,
            "{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}",
            Status.FAIL),
        row(
            "kms:ViaService and kms:CallerAccount",
            any,
            "{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\","
                + " \"kms:CallerAccount\": \"111122223333\"}}",
            Status.PASS),
        row(
            "fixed aws:PrincipalOrgID",
            any,
            "{\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}",
            Status.PASS),
        row(
            "wildcard aws:PrincipalOrgID",
            any,
            "{\"StringLike\": {\"aws:PrincipalOrgID\": \"o-*\"}}",
            Status.FAIL),
        row(
            "StringEqualsIfExists kms:CallerAccount",
            any,
            "{\"StringEqualsIfExists\": {\"kms:CallerAccount\": \"111122223333\"}}",
            Status.FAIL),
        row(
            "mixed-case condition key",
            any,
            "{\"StringEquals\": {\"KMS:callerACCOUNT\": \"111122223333\"}}",
            Status.PASS),
        row(
            "arn:aws:iam::*:root",
            "\"Principal\": {\"AWS\": \"arn:aws:iam::*:root\"}",
            "",
            Status.FAIL),
        row(
            "NotPrincipal with Allow",
            "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:role/X\"}",
            "",
            Status.FAIL),
        Arguments.of(
            Named.of(
                "NotPrincipal with Deny",
                rootAnd(
                    statement(
                        "Deny",
                        "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:role/X\"}",
                        ""))),
            Status.PASS),
        row(
            "broad aws:SourceIp",
            any,
            "{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}",
            Status.FAIL),
        row(
            "root and * together",
            "\"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:root\", \"*\"]}",
            "",
            Status.FAIL),
        row(
            "StringLike aws:PrincipalArn across accounts",
            any,
            "{\"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/Reader\"}}",
            Status.FAIL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publicMatrix")
  void check_publicMatrixRow_givesTheMatrixVerdict(String policy, Status expected) {
    List<Finding> findings = checkPolicy(policy);

    assertThat(findings).extracting(Finding::status).containsOnly(expected);
    if (expected == Status.FAIL) {
      assertThat(findings)
          .allSatisfy(f -> assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("Row"));
    }
  }

  @Test
  void check_wildcardWithoutCondition_failsAtTheStatement() {
    // given
    String policy = rootAnd(publicUse(""));

    // when
    List<Finding> findings = checkPolicy(policy);

    // then
    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith("The key policy of the CMK named prod-app is public: statement #1 [Use]")
        .contains("it has no condition");
    assertThat(f.location()).isNotNull();
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("Use");
    assertThat(f.location().place().pointer()).isEqualTo("/Statement/1");
  }

  @Test
  void check_viaServiceOnly_fails() {
    List<Finding> findings =
        checkPolicy(
            rootAnd(
                publicUse(
                    "{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}")));

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("kms:ViaService");
  }

  @Test
  void check_viaServiceWithCallerAccount_passes() {
    List<Finding> findings =
        checkPolicy(
            rootAnd(
                publicUse(
                    "{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\","
                        + " \"kms:CallerAccount\": \"111122223333\"}}")));

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "The key policy of the CMK named prod-app is not public: every Allow names known"
                + " principals or is pinned to known accounts or an organization");
  }

  @Test
  void check_stringEqualsIfExistsCallerAccount_fails() {
    List<Finding> findings =
        checkPolicy(
            rootAnd(
                publicUse(
                    "{\"StringEqualsIfExists\": {\"kms:CallerAccount\": \"111122223333\"}}")));

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("IfExists");
  }

  @Test
  void check_fixedPrincipalOrgId_passes() {
    List<Finding> findings =
        checkPolicy(
            rootAnd(publicUse("{\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}")));

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
  }

  @Test
  void check_wildcardPrincipalOrgId_fails() {
    List<Finding> findings =
        checkPolicy(rootAnd(publicUse("{\"StringLike\": {\"aws:PrincipalOrgID\": \"o-*\"}}")));

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("aws:PrincipalOrgID");
  }

  @Test
  void check_partialWildcardRootPrincipal_fails() {
    List<Finding> findings =
        checkPolicy(
            rootAnd(
                """
                {"Sid": "AnyRoot", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"},
                 "Action": "kms:Decrypt", "Resource": "*"}"""));

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("arn:aws:iam::*:root");
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("AnyRoot");
  }

  @Test
  void check_twoPublicStatements_failsOncePerStatement() {
    List<Finding> findings =
        checkPolicy(
            rootAnd(
                publicUse(""),
                """
                {"Sid": "Everyone", "Effect": "Allow", "Principal": "*",
                 "Action": "kms:DescribeKey", "Resource": "*"}"""));

    assertThat(findings)
        .extracting(f -> requireNonNull(f.location()).place().sid())
        .containsExactly("Use", "Everyone");
  }

  @Test
  void check_sourceVpceOnly_passesWithAccountsUnknown() {
    List<Finding> findings =
        checkPolicy(
            rootAnd(publicUse("{\"StringEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}")));

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message()).contains("network origin");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    List<Finding> findings = check(RULE, awsManaged("ebs").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.NOT_APPLICABLE);
    assertThat(findings.get(0).message()).startsWith("The AWS managed key aws/ebs is not judged");
  }

  @Test
  void check_policyUnreadable_isUnknown() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-app").policy(null).unreadable("POLICY", "AccessDeniedException").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.UNKNOWN);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "Cannot judge the key policy of the CMK named prod-app: the key policy could not be"
                + " read: AccessDeniedException");
  }

  @Test
  void check_keyWithoutAlias_namesTheKeyByArn() {
    List<Finding> findings =
        check(RULE, cmk("x").noAlias().policy(rootAnd(publicUse(""))).snapshot());

    assertThat(findings.get(0).message())
        .startsWith(
            "The key policy of the CMK "
                + PolicyRuleFixtures.KEY_ARN
                + " (it has no alias) is public");
  }

  // Issue 15: kms:PutKeyPolicy is not a cross-account operation (AWS KMS API reference,
  // "Cross-account use: No"), so an Allow of it to everyone is not public; it still lets every
  // principal of the key's account take over the key without IAM permission, and fails.
  @Test
  void check_wildcardAllowOfPutKeyPolicy_failsAsAccountWide() {
    // given
    String policy =
        """
        {"Version": "2012-10-17", "Statement": [
         {"Sid": "Wide", "Effect": "Allow", "Principal": "*", "Action": "kms:PutKeyPolicy",
          "Resource": "*"}]}""";

    // when
    List<Finding> findings = checkPolicy(policy);

    // then
    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "The key policy of the CMK named prod-app is not public, but lets every principal of"
                + " the key's account use or manage the key: statement #0 [Wide]")
        .contains("no principal of another account can call these operations");
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("Wide");
    assertThat(requireNonNull(f.location()).place().pointer()).isEqualTo("/Statement/0");
  }

  @Test
  void check_wildcardAllowOfPutKeyPolicyPinnedByDeny_passes() {
    // given: a Deny refuses kms:PutKeyPolicy to everyone but the break-glass role, which the
    // policy names, so no unnamed principal of the account gets it
    String policy =
        rootAnd(
            """
            {"Sid": "Wide", "Effect": "Allow", "Principal": "*", "Action": "kms:PutKeyPolicy",
             "Resource": "*"}""",
            """
            {"Sid": "OnlyBreakGlass", "Effect": "Deny", "Principal": "*",
             "Action": "kms:PutKeyPolicy", "Resource": "*", "Condition": {"ArnNotEquals":
             {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/BreakGlass"}}}""");

    // when
    List<Finding> findings = checkPolicy(policy);

    // then
    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
  }
}
