package dev.kmsposture.policy;

import static dev.kmsposture.policy.PolicyTexts.allow;
import static dev.kmsposture.policy.PolicyTexts.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.policybuilder.iam.IamEffect;
import software.amazon.awssdk.policybuilder.iam.IamPolicy;
import software.amazon.awssdk.policybuilder.iam.IamPrincipal;

/** Interchange with the SDK's IAM Policy Builder refuses rather than change meaning. */
class IamInterchangeTest {

  private static final String NORMAL =
      "{\"Version\": \"2012-10-17\", \"Id\": \"key-consolepolicy-3\", \"Statement\": ["
          + "{\"Sid\": \"Enable IAM User Permissions\", \"Effect\": \"Allow\", \"Principal\":"
          + " {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\":"
          + " \"*\"}, "
          + allow(
              "\"Sid\": \"Grants\", \"Condition\": {\"Bool\": {\"kms:GrantIsForAWSResource\":"
                  + " true}, \"StringEquals\": {\"kms:ViaService\": [\"ec2.us-east-1.amazonaws.com\","
                  + " \"rds.us-east-1.amazonaws.com\"]}}")
          + "]}";

  @Test
  void iamPolicy_normalPolicy_roundTripsEquivalently() {
    // given
    KeyPolicy p = KeyPolicy.parse(NORMAL);

    // when
    IamPolicy iam = p.iamPolicy();

    // then
    assertThat(iam.version()).isEqualTo("2012-10-17");
    assertThat(iam.id()).isEqualTo("key-consolepolicy-3");
    assertThat(iam.statements()).hasSize(2);
    assertThat(KeyPolicy.from(iam).isEquivalentTo(p)).isTrue();
  }

  @Test
  void iamPolicy_emptyConditionValues_refused() {
    KeyPolicy p =
        KeyPolicy.parse(
            policy(allow("\"Condition\": {\"StringEquals\": {\"aws:ResourceTag/team\": []}}")));

    assertThatThrownBy(p::iamPolicy)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cannot convert to IamPolicy: condition [StringEquals aws:ResourceTag/team] at"
                + " /Statement/0/Condition/StringEquals/aws:ResourceTag~1team has an empty value"
                + " list, and the SDK model drops it, which widens an Allow or disables a Deny");
  }

  @Test
  void iamPolicy_missingVersion_refusedEvenWithoutPolicyVariables() {
    // IamPolicy 2.41.6 writes Version 2012-10-17 when it has none (builder and fromJson alike).
    KeyPolicy p = KeyPolicy.parse("{\"Statement\": [" + allow("") + "]}");

    assertThatThrownBy(p::iamPolicy)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cannot convert to IamPolicy: the policy has no Version (IAM then applies the"
                + " 2008-10-17 rules, where ${...} is literal text), but the SDK model always writes"
                + " Version 2012-10-17; set the Version explicitly with toBuilder().version(...)");
  }

  @Test
  void sdk_nullVersion_becomes2012() {
    // Pins the SDK behaviour the refusal above relies on.
    IamPolicy iam =
        IamPolicy.fromJson(
            "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\","
                + " \"Resource\": \"*\"}}");

    assertThat(iam.version()).isEqualTo("2012-10-17");
    assertThat(iam.toJson()).contains("\"Version\":\"2012-10-17\"");
  }

  @Test
  void iamPolicy_version2008_kept() {
    KeyPolicy p =
        KeyPolicy.parse("{\"Version\": \"2008-10-17\", \"Statement\": [" + allow("") + "]}");

    assertThat(p.iamPolicy().version()).isEqualTo("2008-10-17");
  }

  @Test
  void from_statementWithoutPrincipal_rejected() {
    IamPolicy iam =
        IamPolicy.builder()
            .addStatement(s -> s.effect(IamEffect.ALLOW).addAction("kms:Decrypt").addResource("*"))
            .build();

    assertThatThrownBy(() -> KeyPolicy.from(iam))
        .isInstanceOf(PolicyParseException.class)
        .hasMessageContaining("the statement has no Principal or NotPrincipal")
        .extracting(e -> ((PolicyParseException) e).pointer())
        .isEqualTo("/Statement");
  }

  @Test
  void from_effectMaybe_rejected() {
    IamPolicy iam =
        IamPolicy.builder()
            .addStatement(
                s ->
                    s.effect(IamEffect.create("Maybe"))
                        .addPrincipal(IamPrincipal.ALL)
                        .addAction("kms:Decrypt")
                        .addResource("*"))
            .build();

    assertThatThrownBy(() -> KeyPolicy.from(iam))
        .isInstanceOf(PolicyParseException.class)
        .hasMessageContaining("Effect [Maybe] is not valid; expected \"Allow\" or \"Deny\"")
        .extracting(e -> ((PolicyParseException) e).pointer())
        .isEqualTo("/Statement/Effect");
  }

  @Test
  void from_actionAndNotAction_rejected() {
    IamPolicy iam =
        IamPolicy.builder()
            .addStatement(
                s ->
                    s.effect(IamEffect.ALLOW)
                        .addPrincipal(IamPrincipal.ALL)
                        .addAction("kms:Decrypt")
                        .addNotAction("kms:Encrypt")
                        .addResource("*"))
            .build();

    assertThatThrownBy(() -> KeyPolicy.from(iam))
        .isInstanceOf(PolicyParseException.class)
        .hasMessageContaining("the statement has both Action and NotAction");
  }
}
