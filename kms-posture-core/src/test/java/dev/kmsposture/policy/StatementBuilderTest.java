package dev.kmsposture.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The builders state what is missing or conflicting. */
class StatementBuilderTest {

  @Test
  void build_withoutEffect_rejected() {
    Statement.Builder b = Statement.builder().addAwsPrincipal("111122223333");

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("effect is not set; call effect(Effect.ALLOW or Effect.DENY)");
  }

  @Test
  void build_withoutPrincipal_rejected() {
    Statement.Builder b = Statement.builder().effect(Effect.ALLOW).addAction(KmsAction.DECRYPT);

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "no principal is set; a key-policy statement needs a Principal or NotPrincipal");
  }

  @Test
  void build_bareStarWithOtherPrincipal_rejected() {
    Statement.Builder b =
        Statement.builder()
            .effect(Effect.ALLOW)
            .addPrincipal(Principal.everyone())
            .addAwsPrincipal("111122223333");

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the bare \"*\" principal stands alone; use Principal.aws(\"*\") to combine it");
  }

  @Test
  void build_sameConditionKeyTwiceInDifferentCase_rejected() {
    Statement.Builder b =
        Statement.builder()
            .effect(Effect.ALLOW)
            .addAwsPrincipal("111122223333")
            .addCondition("StringEquals", "kms:ViaService", "a")
            .addCondition("StringEquals", "KMS:ViaService", "b");

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "condition key [kms:viaservice] appears twice under operator [StringEquals]");
  }

  @Test
  void build_shapes_scalarForOneAndArrayForSeveral() {
    Statement s =
        Statement.builder()
            .effect(Effect.DENY)
            .notPrincipals(List.of(Principal.aws("111122223333"), Principal.aws("444455556666")))
            .notActions(List.of(KmsAction.DECRYPT))
            .addResource("*")
            .addCondition(
                Condition.of(ConditionOperator.BOOL, ConditionKey.of("aws:SecureTransport"), false))
            .build();

    assertThat(s.toString())
        .isEqualTo(
            "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"111122223333\",\"444455556666\"]},"
                + "\"NotAction\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"Bool\":"
                + "{\"aws:SecureTransport\":false}}}");
  }

  @Test
  void toBuilder_rebuild_equalsOriginal() {
    Statement s =
        PolicyTexts.parseOne(
            PolicyTexts.allow("\"Sid\": \"x\", \"Condition\": {\"StringEquals\": {\"a\": \"1\"}}"));

    assertThat(s.toBuilder().build()).isEqualTo(s);
  }

  @Test
  void policyBuilder_withoutStatement_rejected() {
    assertThatThrownBy(() -> KeyPolicy.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no statement is set; a key policy needs at least one");
  }

  @Test
  void principalElement_bareStarInArrayForm_rejected() {
    assertThatThrownBy(
            () ->
                new Statement.PrincipalElement(
                    false, List.of(Principal.everyone()), java.util.Set.of("AWS")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the bare \"*\" principal stands alone; it cannot be combined with other principals");
  }

  @Test
  void keyPolicy_singleObjectWithTwoStatements_rejected() {
    Statement s = PolicyTexts.parseOne(PolicyTexts.allow(""));

    assertThatThrownBy(() -> new KeyPolicy(null, null, List.of(s, s), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Statement written as a single object holds exactly one statement");
  }

  @Test
  void principalAws_empty_rejected() {
    assertThatThrownBy(() -> Principal.aws(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AWS principal [] is empty; expected an ARN, an account id or *");
  }
}
