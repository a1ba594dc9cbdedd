package dev.kmsposture.policy;

import static dev.kmsposture.policy.PolicyTexts.allow;
import static dev.kmsposture.policy.PolicyTexts.policy;
import static dev.kmsposture.policy.PolicyTexts.withPrincipal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every {@link PolicyIssue.Kind} with its pointer, level and message. */
class KeyPolicyValidateTest {

  private static final Set<PolicyIssue.Kind> SEEN = EnumSet.noneOf(PolicyIssue.Kind.class);

  private static List<PolicyIssue> issues(String json) {
    return KeyPolicy.parse(json).validate();
  }

  /** Asserts that {@code json} has exactly one issue of {@code kind}, at {@code pointer}. */
  private static void assertIssue(
      String json, PolicyIssue.Kind kind, String pointer, String message) {
    List<PolicyIssue> found = issues(json).stream().filter(i -> i.kind() == kind).toList();
    assertThat(found).hasSize(1);
    assertThat(found.get(0).pointer()).isEqualTo(pointer);
    assertThat(found.get(0).message()).contains(message);
    SEEN.add(kind);
  }

  @Test
  void validate_cleanPolicy_noIssues() {
    assertThat(issues(policy(allow("")))).isEmpty();
  }

  @Test
  void validate_missingVersion_recommended() {
    String json = "{\"Statement\": [" + allow("") + "]}";

    assertIssue(
        json,
        PolicyIssue.Kind.MISSING_VERSION,
        "",
        "the policy has no Version, so IAM applies the 2008-10-17 rules and ${...} policy"
            + " variables are literal text; add \"Version\": \"2012-10-17\"");
    assertThat(issues(json))
        .singleElement()
        .extracting(PolicyIssue::level)
        .isEqualTo(PolicyIssue.Level.RECOMMENDED);
  }

  @Test
  void validate_legacyVersion_reported() {
    assertIssue(
        "{\"Version\": \"2008-10-17\", \"Statement\": [" + allow("") + "]}",
        PolicyIssue.Kind.LEGACY_VERSION,
        "/Version",
        "Version [2008-10-17] treats ${...} policy variables as literal text; use 2012-10-17");
  }

  @Test
  void validate_missingAction_reportedAtStatement() {
    assertIssue(
        policy(allow(""), "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Resource\": \"*\"}"),
        PolicyIssue.Kind.MISSING_ACTION,
        "/Statement/1",
        "the statement has no Action or NotAction; KMS accepts it, but it has no effect");
  }

  @Test
  void validate_missingResource_reportedAtSingleStatement() {
    assertIssue(
        "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\","
            + " \"Action\": \"kms:Decrypt\"}}",
        PolicyIssue.Kind.MISSING_RESOURCE,
        "/Statement",
        "the statement has no Resource or NotResource; KMS accepts it, but it has no effect; add"
            + " \"Resource\": \"*\"");
  }

  @Test
  void validate_emptyActionArray_reported() {
    assertIssue(
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [], \"Resource\": \"*\"}"),
        PolicyIssue.Kind.EMPTY_ACTION,
        "/Statement/0/Action",
        "Action is an empty list; the statement matches no action and has no effect");
  }

  @Test
  void validate_emptyNotActionArray_reportedAsAppliesToEveryAction() {
    List<PolicyIssue> found =
        issues(
            policy(
                "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"NotAction\": [], \"Resource\":"
                    + " \"*\"}"));

    assertThat(found)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.kind()).isEqualTo(PolicyIssue.Kind.EMPTY_ACTION);
              assertThat(i.pointer()).isEqualTo("/Statement/0/NotAction");
              assertThat(i.message())
                  .isEqualTo(
                      "NotAction is an empty list, so the statement applies to every action");
            });
  }

  @Test
  void validate_emptyResourceArray_reported() {
    assertIssue(
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrypt\", \"Resource\":"
                + " []}"),
        PolicyIssue.Kind.EMPTY_RESOURCE,
        "/Statement/0/Resource",
        "Resource is an empty list; the statement matches nothing and has no effect");
  }

  @Test
  void validate_emptyConditionValues_criticalWithIfExistsNote() {
    // given
    String json =
        policy(allow("\"Condition\": {\"StringEqualsIfExists\": {\"aws:ResourceTag/team\": []}}"));

    // when
    List<PolicyIssue> found = issues(json);

    // then
    assertIssue(
        json,
        PolicyIssue.Kind.EMPTY_CONDITION_VALUES,
        "/Statement/0/Condition/StringEqualsIfExists/aws:ResourceTag~1team",
        "condition [StringEqualsIfExists aws:ResourceTag/team] has an empty value list, so it never"
            + " matches a request that has the key; it is true only when the request has no"
            + " aws:ResourceTag/team (IfExists); this Allow grants (almost) nothing");
    assertThat(found.get(0).level()).isEqualTo(PolicyIssue.Level.CRITICAL);
  }

  @Test
  void validate_emptyConditionValuesInDeny_saysDenyProtectsNothing() {
    String json =
        policy(
            "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"kms:*\", \"Resource\": \"*\","
                + " \"Condition\": {\"ForAllValues:StringEquals\": {\"kms:EncryptionContextKeys\":"
                + " []}}}");

    assertIssue(
        json,
        PolicyIssue.Kind.EMPTY_CONDITION_VALUES,
        "/Statement/0/Condition/ForAllValues:StringEquals/kms:EncryptionContextKeys",
        "(ForAllValues); this Deny protects (almost) nothing");
  }

  @Test
  void validate_emptyConditionElement_reported() {
    assertIssue(
        policy(allow("\"Condition\": {}")),
        PolicyIssue.Kind.EMPTY_CONDITION_BLOCK,
        "/Statement/0/Condition",
        "Condition is empty ({}); it restricts nothing, so the statement applies unconditionally");
  }

  @Test
  void validate_emptyOperatorBlock_reported() {
    assertIssue(
        policy(allow("\"Condition\": {\"StringEquals\": {}}")),
        PolicyIssue.Kind.EMPTY_CONDITION_BLOCK,
        "/Statement/0/Condition/StringEquals",
        "operator [StringEquals] has no condition keys; it restricts nothing");
  }

  @Test
  void validate_federatedPrincipal_invalidType() {
    assertIssue(
        policy(withPrincipal("\"Principal\": {\"Federated\": \"cognito-identity.amazonaws.com\"}")),
        PolicyIssue.Kind.INVALID_PRINCIPAL_TYPE,
        "/Statement/0/Principal/Federated",
        "Federated principal [cognito-identity.amazonaws.com] is not valid in a key policy");
  }

  @Test
  void validate_canonicalUserInArray_invalidTypeWithIndex() {
    assertIssue(
        policy(withPrincipal("\"Principal\": {\"CanonicalUser\": [\"79a59df900b949e5\"]}")),
        PolicyIssue.Kind.INVALID_PRINCIPAL_TYPE,
        "/Statement/0/Principal/CanonicalUser/0",
        "CanonicalUser principal [79a59df900b949e5] is not valid in a key policy");
  }

  @Test
  void validate_partialWildcardPrincipal_critical() {
    assertIssue(
        policy(
            withPrincipal("\"Principal\": {\"AWS\": [\"111122223333\", \"arn:aws:iam::*:root\"]}")),
        PolicyIssue.Kind.PARTIAL_WILDCARD_PRINCIPAL,
        "/Statement/0/Principal/AWS/1",
        "principal [arn:aws:iam::*:root] has a wildcard inside it; IAM accepts only the whole"
            + " value \"*\"");
  }

  @Test
  void validate_unrecognizedPrincipal_reported() {
    assertIssue(
        policy(withPrincipal("\"Principal\": {\"AWS\": \"arn:aws:s3:::bucket\"}")),
        PolicyIssue.Kind.UNRECOGNIZED_PRINCIPAL,
        "/Statement/0/Principal/AWS",
        "principal [arn:aws:s3:::bucket] is not an account id, an IAM or STS principal ARN, a"
            + " unique id or \"*\"");
  }

  @Test
  void validate_uniqueIdPrincipal_orphaned() {
    assertIssue(
        policy(withPrincipal("\"Principal\": {\"AWS\": \"AROADBQP57FF2AEXAMPLE\"}")),
        PolicyIssue.Kind.ORPHANED_PRINCIPAL,
        "/Statement/0/Principal/AWS",
        "principal [AROADBQP57FF2AEXAMPLE] is an IAM unique id: the user or role it named was"
            + " deleted");
  }

  @Test
  void validate_allowWithNotPrincipal_critical() {
    String json =
        policy(
            "{\"Effect\": \"Allow\", \"NotPrincipal\": {\"AWS\": \"111122223333\"}, \"Action\":"
                + " \"kms:Decrypt\", \"Resource\": \"*\"}");

    assertIssue(
        json,
        PolicyIssue.Kind.ALLOW_WITH_NOT_PRINCIPAL,
        "/Statement/0/NotPrincipal",
        "Allow with NotPrincipal is not supported by AWS");
    assertThat(PolicyIssue.Kind.ALLOW_WITH_NOT_PRINCIPAL.level())
        .isEqualTo(PolicyIssue.Level.CRITICAL);
  }

  @Test
  void validate_denyWithNotPrincipal_noIssue() {
    assertThat(
            issues(
                policy(
                    "{\"Effect\": \"Deny\", \"NotPrincipal\": {\"AWS\": \"111122223333\"},"
                        + " \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}")))
        .isEmpty();
  }

  @Test
  void validate_duplicateSid_reportedAtSecond() {
    assertIssue(
        policy(allow("\"Sid\": \"Users\""), allow(""), allow("\"Sid\": \"Users\"")),
        PolicyIssue.Kind.DUPLICATE_SID,
        "/Statement/2/Sid",
        "Sid [Users] is also used by /Statement/0; give each statement its own Sid");
  }

  @Test
  void validate_unknownOperator_reportedOncePerOperator() {
    assertIssue(
        policy(allow("\"Condition\": {\"StringEqualz\": {\"a\": \"1\", \"b\": \"2\"}}")),
        PolicyIssue.Kind.UNKNOWN_CONDITION_OPERATOR,
        "/Statement/0/Condition/StringEqualz",
        "condition operator [StringEqualz] is not an IAM operator (operator names are"
            + " case-sensitive; check spelling)");
  }

  @Test
  void validate_nullWithIfExists_unknownOperator() {
    assertIssue(
        policy(allow("\"Condition\": {\"NullIfExists\": {\"aws:ResourceTag/team\": \"true\"}}")),
        PolicyIssue.Kind.UNKNOWN_CONDITION_OPERATOR,
        "/Statement/0/Condition/NullIfExists",
        "Null takes no IfExists or set qualifier");
  }

  @Test
  void validate_unknownOperatorWithEmptyBlock_reported() {
    assertThat(issues(policy(allow("\"Condition\": {\"Stringequals\": {}}"))))
        .extracting(PolicyIssue::kind)
        .containsExactly(
            PolicyIssue.Kind.EMPTY_CONDITION_BLOCK, PolicyIssue.Kind.UNKNOWN_CONDITION_OPERATOR);
  }

  @Test
  void validate_misspelledKmsAction_unknownAction() {
    assertIssue(
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"kms:Decrypt\","
                + " \"kms:Decrpyt\"], \"Resource\": \"*\"}"),
        PolicyIssue.Kind.UNKNOWN_ACTION,
        "/Statement/0/Action/1",
        "action [kms:Decrpyt] is not a known KMS action; it never matches (check the spelling)");
  }

  @Test
  void validate_patternMatchingNothing_unknownAction() {
    assertIssue(
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"kms:Decrypt\","
                + " \"kms:Foo*\"], \"Resource\": \"*\"}"),
        PolicyIssue.Kind.UNKNOWN_ACTION,
        "/Statement/0/Action/1",
        "action pattern [kms:Foo*] matches no KMS action");
  }

  @Test
  void validate_otherServiceAction_nonKmsAction() {
    assertIssue(
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"kms:Decrypt\","
                + " \"s3:GetObject\"], \"Resource\": \"*\"}"),
        PolicyIssue.Kind.NON_KMS_ACTION,
        "/Statement/0/Action/1",
        "action [s3:GetObject] is not a KMS action; a key policy governs only KMS actions on this"
            + " key");
  }

  @Test
  void validate_createKey_notAuthorizableAndStatementNeverMatches() {
    // given
    String json =
        policy(
            "{\"Sid\": \"Create\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
                + " [\"kms:CreateKey\", \"kms:ListAliases\"], \"Resource\": \"*\"}");

    // when
    List<PolicyIssue> found = issues(json);

    // then
    assertThat(found)
        .extracting(PolicyIssue::kind)
        .containsExactly(
            PolicyIssue.Kind.ACTION_NOT_AUTHORIZABLE_BY_KEY_POLICY,
            PolicyIssue.Kind.ACTION_NOT_AUTHORIZABLE_BY_KEY_POLICY,
            PolicyIssue.Kind.STATEMENT_NEVER_MATCHES);
    assertThat(found.get(0).pointer()).isEqualTo("/Statement/0/Action/0");
    assertThat(found.get(0).message())
        .isEqualTo(
            "action [kms:CreateKey] is not authorized by a key policy (it does not act on a key);"
                + " grant it in an IAM policy");
    assertThat(found.get(2).pointer()).isEqualTo("/Statement/0");
    assertThat(found.get(2).message())
        .isEqualTo(
            "statement [Create] can never match a request on this key: none of its actions is one a"
                + " key policy can authorize; it has no effect");
    SEEN.add(PolicyIssue.Kind.ACTION_NOT_AUTHORIZABLE_BY_KEY_POLICY);
    SEEN.add(PolicyIssue.Kind.STATEMENT_NEVER_MATCHES);
  }

  @Test
  void validate_patternOfOnlyUnauthorizableActions_reported() {
    assertIssue(
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:ListKeys\", \"Resource\":"
                + " \"*\"}"),
        PolicyIssue.Kind.ACTION_NOT_AUTHORIZABLE_BY_KEY_POLICY,
        "/Statement/0/Action",
        "action [kms:ListKeys] is not authorized by a key policy");
  }

  @Test
  void validate_resourceNotAKey_reportedAndNeverMatches() {
    // given
    String json =
        policy(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrypt\", \"Resource\":"
                + " \"arn:aws:kms:us-east-1:111122223333:alias/app\"}");

    // when
    List<PolicyIssue> found = issues(json);

    // then
    assertIssue(
        json,
        PolicyIssue.Kind.RESOURCE_NOT_THIS_KEY,
        "/Statement/0/Resource",
        "resource [arn:aws:kms:us-east-1:111122223333:alias/app] is not \"*\" or a KMS key ARN; in"
            + " a key policy the resource is always the key the policy is attached to");
    assertThat(found.get(1).message())
        .isEqualTo(
            "statement #0 can never match a request on this key: none of its resources is this"
                + " key; it has no effect");
  }

  @Test
  void validate_keyArnPatternWithoutKeyArn_accepted() {
    assertThat(
            issues(
                policy(
                    "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrypt\","
                        + " \"Resource\": \"arn:aws:kms:*:111122223333:key/*\"}")))
        .isEmpty();
  }

  @Test
  void validate_withKeyArn_resourceOfOtherKeyReported() {
    // given
    KeyPolicy p =
        KeyPolicy.parse(
            policy(
                "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrypt\","
                    + " \"Resource\": [\"arn:aws:kms:us-east-1:111122223333:key/other\","
                    + " \"arn:aws:kms:us-east-1:111122223333:key/*\"]}"));

    // when
    List<PolicyIssue> found = p.validate("arn:aws:kms:us-east-1:111122223333:key/mine");

    // then
    assertThat(found)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.kind()).isEqualTo(PolicyIssue.Kind.RESOURCE_NOT_THIS_KEY);
              assertThat(i.pointer()).isEqualTo("/Statement/0/Resource/0");
              assertThat(i.message())
                  .contains("is not this key (arn:aws:kms:us-east-1:111122223333:key/mine)");
            });
  }

  @Test
  void validate_issuesInDocumentOrder() {
    List<PolicyIssue> found =
        issues(
            "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\"}, "
                + allow("\"Condition\": {}")
                + "]}");

    assertThat(found)
        .extracting(PolicyIssue::pointer)
        .containsExactly("", "/Statement/0", "/Statement/0", "/Statement/1/Condition");
  }

  @Test
  void issue_toString_namesLevelKindPointerAndMessage() {
    PolicyIssue i = new PolicyIssue(PolicyIssue.Kind.MISSING_VERSION, "", "no Version");

    assertThat(i).hasToString("RECOMMENDED MISSING_VERSION at /: no Version");
  }

  @Test
  void kinds_levelsAsDocumented() {
    assertThat(
            EnumSet.allOf(PolicyIssue.Kind.class).stream()
                .filter(k -> k.level() == PolicyIssue.Level.CRITICAL))
        .containsExactlyInAnyOrder(
            PolicyIssue.Kind.EMPTY_CONDITION_VALUES,
            PolicyIssue.Kind.PARTIAL_WILDCARD_PRINCIPAL,
            PolicyIssue.Kind.ALLOW_WITH_NOT_PRINCIPAL,
            PolicyIssue.Kind.UNKNOWN_CONDITION_OPERATOR,
            PolicyIssue.Kind.INVALID_CONDITION_VALUE,
            PolicyIssue.Kind.MALFORMED_POLICY_VARIABLE);
  }

  // ---- condition values the operator cannot read ----------------------------------------------

  private static String condition(String operator, String key, String values) {
    return policy(
        allow("\"Condition\": {\"" + operator + "\": {\"" + key + "\": " + values + "}}"));
  }

  @Test
  void validate_ipOperatorWithImpossibleCidr_reportedAtValue() {
    assertIssue(
        condition("IpAddress", "aws:SourceIp", "[\"203.0.113.0/24\", \"999.1.1.1/33\"]"),
        PolicyIssue.Kind.INVALID_CONDITION_VALUE,
        "/Statement/0/Condition/IpAddress/aws:SourceIp/1",
        "condition [IpAddress aws:SourceIp]: [999.1.1.1/33] is not an IP address or CIDR block,"
            + " so it never matches");
  }

  @Test
  void validate_ipOperatorWithPrefixTooLong_reported() {
    assertIssue(
        condition("NotIpAddress", "aws:SourceIp", "\"10.0.0.0/33\""),
        PolicyIssue.Kind.INVALID_CONDITION_VALUE,
        "/Statement/0/Condition/NotIpAddress/aws:SourceIp",
        "[10.0.0.0/33] is not an IP address or CIDR block");
  }

  @Test
  void validate_dateOperatorWithWord_reported() {
    assertIssue(
        condition("DateGreaterThan", "aws:CurrentTime", "\"yesterday\""),
        PolicyIssue.Kind.INVALID_CONDITION_VALUE,
        "/Statement/0/Condition/DateGreaterThan/aws:CurrentTime",
        "[yesterday] is not a date, so it never matches; date operators take ISO 8601");
  }

  @Test
  void validate_numericOperatorWithWordOrNaN_reportedPerValue() {
    List<PolicyIssue> found =
        issues(
            condition(
                "NumericLessThan",
                "kms:ScheduleKeyDeletionPendingWindowInDays",
                "[\"thirty\", \"NaN\", \"30\", \"2.5\"]"));

    assertThat(found)
        .extracting(PolicyIssue::kind, PolicyIssue::pointer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                PolicyIssue.Kind.INVALID_CONDITION_VALUE,
                "/Statement/0/Condition/NumericLessThan/kms:ScheduleKeyDeletionPendingWindowInDays/0"),
            org.assertj.core.groups.Tuple.tuple(
                PolicyIssue.Kind.INVALID_CONDITION_VALUE,
                "/Statement/0/Condition/NumericLessThan/kms:ScheduleKeyDeletionPendingWindowInDays/1"));
    assertThat(found.get(1).message()).contains("[NaN] is not a number");
  }

  @Test
  void validate_boolAndNullWithNonBoolean_reported() {
    assertIssue(
        condition("Bool", "kms:GrantIsForAWSResource", "\"yes\""),
        PolicyIssue.Kind.INVALID_CONDITION_VALUE,
        "/Statement/0/Condition/Bool/kms:GrantIsForAWSResource",
        "[yes] is not a boolean, so it never matches; expected true or false");
    assertThat(issues(condition("Null", "aws:TokenIssueTime", "\"absent\"")))
        .extracting(PolicyIssue::kind)
        .containsExactly(PolicyIssue.Kind.INVALID_CONDITION_VALUE);
  }

  @Test
  void validate_binaryWithNonBase64_reported() {
    assertThat(issues(condition("BinaryEquals", "kms:RecipientAttestation:ImageSha384", "\"%%%\"")))
        .extracting(PolicyIssue::kind)
        .containsExactly(PolicyIssue.Kind.INVALID_CONDITION_VALUE);
  }

  @Test
  void validate_unclosedPolicyVariable_reported() {
    assertIssue(
        condition(
            "StringLike", "aws:PrincipalArn", "\"arn:aws:iam::111122223333:user/${aws:username\""),
        PolicyIssue.Kind.MALFORMED_POLICY_VARIABLE,
        "/Statement/0/Condition/StringLike/aws:PrincipalArn",
        "policy variable [${aws:username] is not closed");
  }

  @Test
  void validate_emptyPolicyVariable_reported() {
    assertThat(issues(condition("StringEquals", "aws:userid", "\"x-${}\"")))
        .extracting(PolicyIssue::kind)
        .containsExactly(PolicyIssue.Kind.MALFORMED_POLICY_VARIABLE);
  }

  @Test
  void validate_policyVariableInNumericOperator_isLiteralSoReported() {
    // IAM: "You can not use a policy variable with the Numeric condition operator".
    assertThat(issues(condition("NumericEquals", "kms:RotationPeriodInDays", "\"${aws:x}\"")))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.kind()).isEqualTo(PolicyIssue.Kind.INVALID_CONDITION_VALUE);
              assertThat(i.message())
                  .contains("IAM does not substitute policy variables in this operator");
            });
  }

  @Test
  void validate_wellFormedValues_noIssues() {
    assertThat(
            issues(
                policy(
                    allow(
                        "\"Condition\": {"
                            + "\"IpAddress\": {\"aws:SourceIp\": [\"203.0.113.0/24\", \"2001:DB8:1234:5678::/64\", \"10.1.2.3\"]},"
                            + "\"DateLessThan\": {\"aws:CurrentTime\": [\"2026-06-30T23:59:59Z\", \"2026-06-30\", \"2026-06\", \"2026-06-30T23:59+02:00\", \"1767225600\"]},"
                            + "\"NumericLessThanEquals\": {\"kms:ScheduleKeyDeletionPendingWindowInDays\": [\"30\", \"-1\", \"2.5\"]},"
                            + "\"Bool\": {\"kms:GrantIsForAWSResource\": [true, \"FALSE\", \"${aws:SecureTransport}\"]},"
                            + "\"StringEquals\": {\"aws:username\": \"${aws:username}-${aws:userid, 'x'}\"}"
                            + "}"))))
        .isEmpty();
  }

  @Test
  void validate_unclosedVariableUnderLegacyVersion_isLiteralAndNotReported() {
    String json =
        "{\"Version\": \"2008-10-17\", \"Statement\": ["
            + allow("\"Condition\": {\"StringEquals\": {\"aws:username\": \"${aws:username\"}}")
            + "]}";

    assertThat(issues(json))
        .extracting(PolicyIssue::kind)
        .containsExactly(PolicyIssue.Kind.LEGACY_VERSION);
  }

  @org.junit.jupiter.api.AfterAll
  static void everyKindCovered() {
    // Runs after the whole class: a new Kind without a test here fails the build.
    if (SEEN.size() > 5) {
      assertThat(SEEN).containsExactlyInAnyOrder(PolicyIssue.Kind.values());
    }
  }
}
