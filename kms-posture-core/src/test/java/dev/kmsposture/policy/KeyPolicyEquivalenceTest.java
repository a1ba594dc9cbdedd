package dev.kmsposture.policy;

import static dev.kmsposture.policy.PolicyTexts.allow;
import static dev.kmsposture.policy.PolicyTexts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link KeyPolicy#isEquivalentTo} ignores form and keeps meaning. */
class KeyPolicyEquivalenceTest {

  private static boolean equivalent(String a, String b) {
    KeyPolicy x = KeyPolicy.parse(a);
    KeyPolicy y = KeyPolicy.parse(b);
    boolean forward = x.isEquivalentTo(y);
    assertThat(y.isEquivalentTo(x)).as("symmetry").isEqualTo(forward);
    return forward;
  }

  private static String stmt(String effect, String principal, String action, String rest) {
    return "{\"Effect\": \""
        + effect
        + "\", \"Principal\": "
        + principal
        + ", "
        + action
        + ", \"Resource\": \"*\""
        + (rest.isEmpty() ? "" : ", " + rest)
        + "}";
  }

  private static final String ROOT = "{\"AWS\": \"arn:aws:iam::111122223333:root\"}";

  @Test
  void isEquivalentTo_statementOrder_ignored() {
    String a = stmt("Allow", ROOT, "\"Action\": \"kms:*\"", "");
    String b = stmt("Deny", "\"*\"", "\"Action\": \"kms:ScheduleKeyDeletion\"", "");

    assertThat(equivalent(policy(a, b), policy(b, a))).isTrue();
  }

  @Test
  void isEquivalentTo_valueOrderAndDuplicates_ignored() {
    assertThat(
            equivalent(
                policy(stmt("Allow", ROOT, "\"Action\": [\"kms:Encrypt\", \"kms:Decrypt\"]", "")),
                policy(
                    stmt(
                        "Allow",
                        ROOT,
                        "\"Action\": [\"kms:Decrypt\", \"kms:Encrypt\", \"kms:Decrypt\"]",
                        ""))))
        .isTrue();
  }

  @Test
  void isEquivalentTo_scalarVersusArray_ignored() {
    assertThat(
            equivalent(
                policy(allow("")),
                policy(
                    "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": [\"111122223333\"]},"
                        + " \"Action\": [\"kms:Decrypt\"], \"Resource\": [\"*\"]}")))
        .isTrue();
  }

  @Test
  void isEquivalentTo_barePrincipalStarVersusAwsStar_equivalent() {
    assertThat(
            equivalent(
                policy(stmt("Allow", "\"*\"", "\"Action\": \"kms:Decrypt\"", "")),
                policy(stmt("Allow", "{\"AWS\": [\"*\"]}", "\"Action\": \"kms:Decrypt\"", ""))))
        .isTrue();
  }

  @Test
  void isEquivalentTo_accountIdVersusRootArn_equivalent() {
    assertThat(
            equivalent(
                policy(stmt("Allow", "{\"AWS\": \"111122223333\"}", "\"Action\": \"kms:*\"", "")),
                policy(stmt("Allow", ROOT, "\"Action\": \"kms:*\"", ""))))
        .isTrue();
  }

  @Test
  void isEquivalentTo_conditionKeyAndActionCase_ignored() {
    assertThat(
            equivalent(
                policy(
                    stmt(
                        "Allow",
                        ROOT,
                        "\"Action\": \"kms:Decrypt\"",
                        "\"Condition\": {\"StringEquals\": {\"kms:ViaService\": \"a\"}}")),
                policy(
                    stmt(
                        "Allow",
                        ROOT,
                        "\"Action\": \"KMS:decrypt\"",
                        "\"Condition\": {\"StringEquals\": {\"KMS:VIASERVICE\": [\"a\"]}}"))))
        .isTrue();
  }

  @Test
  void isEquivalentTo_sidIdAndStatementShape_ignored() {
    String s = stmt("Allow", ROOT, "\"Action\": \"kms:*\"", "");
    String withSid = stmt("Allow", ROOT, "\"Action\": \"kms:*\"", "\"Sid\": \"Root\"");

    assertThat(
            equivalent(
                "{\"Version\": \"2012-10-17\", \"Statement\": " + s + "}",
                "{\"Version\": \"2012-10-17\", \"Id\": \"key-default-1\", \"Statement\": ["
                    + withSid
                    + "]}"))
        .isTrue();
  }

  @Test
  void isEquivalentTo_booleanVersusString_equivalent() {
    assertThat(
            equivalent(
                policy(allow("\"Condition\": {\"Bool\": {\"kms:GrantIsForAWSResource\": true}}")),
                policy(
                    allow("\"Condition\": {\"Bool\": {\"kms:GrantIsForAWSResource\": \"true\"}}"))))
        .isTrue();
  }

  @Test
  void isEquivalentTo_missingVersusVersion2008_equivalent() {
    assertThat(
            equivalent(
                "{\"Statement\": [" + allow("") + "]}",
                "{\"Version\": \"2008-10-17\", \"Statement\": [" + allow("") + "]}"))
        .isTrue();
  }

  @Test
  void isEquivalentTo_missingVersusVersion2012_different() {
    assertThat(equivalent("{\"Statement\": [" + allow("") + "]}", policy(allow("")))).isFalse();
  }

  @Test
  void isEquivalentTo_effect_matters() {
    assertThat(
            equivalent(
                policy(stmt("Allow", ROOT, "\"Action\": \"kms:*\"", "")),
                policy(stmt("Deny", ROOT, "\"Action\": \"kms:*\"", ""))))
        .isFalse();
  }

  @Test
  void isEquivalentTo_extraAction_matters() {
    assertThat(
            equivalent(
                policy(stmt("Allow", ROOT, "\"Action\": \"kms:Decrypt\"", "")),
                policy(stmt("Allow", ROOT, "\"Action\": [\"kms:Decrypt\", \"kms:Encrypt\"]", ""))))
        .isFalse();
  }

  @Test
  void isEquivalentTo_notActionVersusAction_matters() {
    assertThat(
            equivalent(
                policy(stmt("Allow", ROOT, "\"Action\": \"kms:Decrypt\"", "")),
                policy(stmt("Allow", ROOT, "\"NotAction\": \"kms:Decrypt\"", ""))))
        .isFalse();
  }

  @Test
  void isEquivalentTo_notPrincipalVersusPrincipal_matters() {
    assertThat(
            equivalent(
                policy(stmt("Deny", ROOT, "\"Action\": \"kms:*\"", "")),
                policy(
                    "{\"Effect\": \"Deny\", \"NotPrincipal\": "
                        + ROOT
                        + ", \"Action\": \"kms:*\", \"Resource\": \"*\"}")))
        .isFalse();
  }

  @Test
  void isEquivalentTo_conditionValueCase_matters() {
    assertThat(
            equivalent(
                policy(
                    allow("\"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a\"}}")),
                policy(
                    allow("\"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"O-A\"}}"))))
        .isFalse();
  }

  @Test
  void isEquivalentTo_emptyConditionValuesVersusNoCondition_matters() {
    assertThat(
            equivalent(
                policy(allow("")),
                policy(allow("\"Condition\": {\"StringEquals\": {\"kms:ViaService\": []}}"))))
        .isFalse();
  }

  @Test
  void isEquivalentTo_missingActionVersusEmptyActionArray_matters() {
    assertThat(
            equivalent(
                policy("{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Resource\": \"*\"}"),
                policy(
                    "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [], \"Resource\":"
                        + " \"*\"}")))
        .isFalse();
  }

  @Test
  void statementIsEquivalentTo_ignoresSid() {
    Statement a = PolicyTexts.parseOne(allow("\"Sid\": \"A\""));
    Statement b = PolicyTexts.parseOne(allow("\"Sid\": \"B\""));

    assertThat(a.isEquivalentTo(b)).isTrue();
    assertThat(a).isNotEqualTo(b);
  }
}
