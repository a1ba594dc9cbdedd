package dev.kmsposture.prover;

import static dev.kmsposture.prover.Fixtures.KEY;
import static dev.kmsposture.prover.Fixtures.ROOT_STATEMENT;
import static dev.kmsposture.prover.Fixtures.assertWitness;
import static dev.kmsposture.prover.Fixtures.policy;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each condition operator family, asked as "can someone outside the account decrypt, given an Allow
 * to everyone under this condition block?": a satisfiable block gives a witness the evaluator
 * allows, an unsatisfiable one a proof.
 */
class ConditionFamiliesTest {
  private final PolicyProver prover = PolicyProver.create();

  private static KeyPolicy allowEveryoneIf(String condition) {
    return allow("\"Principal\":\"*\"", condition);
  }

  private static KeyPolicy allow(String principal, String condition) {
    return policy(
        ROOT_STATEMENT,
        "{\"Sid\":\"Guarded\",\"Effect\":\"Allow\","
            + principal
            + ",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":"
            + condition
            + "}");
  }

  private ProofResult ask(KeyPolicy p) {
    return prover.externalAccess(p, KEY, List.of(KmsAction.DECRYPT));
  }

  private Witness found(String condition) {
    KeyPolicy p = allowEveryoneIf(condition);
    return assertWitness(ask(p), p);
  }

  private void provedNo(String condition) {
    ProofResult r = ask(allowEveryoneIf(condition));
    assertThat(r.kind()).as(r.toString()).isEqualTo(ProofResult.Kind.PROVED_NO);
  }

  @Test
  void numeric_openIntervalBetweenIntegers_needsAFraction() {
    Witness w =
        found(
            """
            {"NumericGreaterThan":{"aws:MultiFactorAuthAge":"1"},\
            "NumericLessThan":{"aws:MultiFactorAuthAge":"2"}}""");
    double value =
        Double.parseDouble(requireNonNull(w.context().get("aws:MultiFactorAuthAge")).get(0));
    assertThat(value).isGreaterThan(1).isLessThan(2);
  }

  @Test
  void requestParameterKeyOfAnotherOperation_isAbsent() {
    // KMS Developer Guide, "AWS KMS condition keys": kms:RotationPeriodInDays is a parameter of
    // EnableKeyRotation only, so no Decrypt request carries it (the evaluator ignores it there).
    provedNo("{\"NumericGreaterThan\":{\"kms:RotationPeriodInDays\":\"1\"}}");
    // A Null test on it is then always met for Decrypt.
    found("{\"Null\":{\"kms:RotationPeriodInDays\":\"true\"}}");
  }

  @Test
  void numeric_emptyInterval_isProvedEmpty() {
    provedNo(
        """
        {"NumericGreaterThan":{"kms:RotationPeriodInDays":"2"},\
        "NumericLessThanEquals":{"kms:RotationPeriodInDays":"2"}}""");
  }

  @Test
  void numeric_policyValueThatIsNoNumber_neverMatches() {
    provedNo("{\"NumericEquals\":{\"kms:RotationPeriodInDays\":\"thirty\"}}");
  }

  @Test
  void numeric_negatedOnAbsentKey_isTrue() {
    Witness w = found("{\"NumericNotEquals\":{\"kms:RotationPeriodInDays\":\"365\"}}");
    assertThat(w.context().getOrDefault("kms:RotationPeriodInDays", List.of("x")))
        .doesNotContain("365");
  }

  @Test
  void date_oneSecondWindow_findsAnInstantInside() {
    found(
        """
        {"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T00:00:00Z"},\
        "DateLessThan":{"aws:CurrentTime":"2024-01-01T00:00:01Z"}}""");
  }

  @Test
  void date_epochSecondsAndIsoNameTheSameInstant() {
    provedNo(
        """
        {"DateLessThan":{"aws:CurrentTime":"1704067200"},\
        "DateGreaterThanEquals":{"aws:CurrentTime":"2024-01-01T00:00:00Z"}}""");
  }

  @Test
  void ipAddress_rangeMinusSubrange_findsAnAddress() {
    Witness w =
        found(
            """
            {"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},\
            "NotIpAddress":{"aws:SourceIp":"10.0.0.0/9"}}""");
    assertThat(requireNonNull(w.context().get("aws:SourceIp")).get(0)).startsWith("10.");
  }

  @Test
  void ipAddress_subrangeOutsideItsRange_isProvedEmpty() {
    provedNo(
        """
        {"IpAddress":{"aws:SourceIp":"10.1.0.0/16"},\
        "NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}""");
  }

  @Test
  void ipAddress_ipv6Range_findsAnIpv6Address() {
    Witness w = found("{\"IpAddress\":{\"aws:SourceIp\":\"2001:db8::/32\"}}");
    assertThat(requireNonNull(w.context().get("aws:SourceIp")).get(0)).startsWith("2001:db8:");
  }

  @Test
  void stringEqualsIgnoreCase_otherThanBothSpellings_findsAThirdSpelling() {
    Witness w =
        found(
            """
            {"StringEqualsIgnoreCase":{"kms:ViaService":"S3.Amazonaws.Com"},\
            "StringNotEquals":{"kms:ViaService":["s3.amazonaws.com","S3.AMAZONAWS.COM"]}}""");
    assertThat(requireNonNull(w.context().get("kms:ViaService")).get(0))
        .isEqualToIgnoringCase("s3.amazonaws.com");
  }

  @Test
  void stringLike_insideANegatedLargerPattern_isProvedEmpty() {
    provedNo(
        """
        {"StringLike":{"kms:ViaService":"s3.*.amazonaws.com"},\
        "StringNotLike":{"kms:ViaService":"s3.*"}}""");
  }

  @Test
  void stringLike_questionMarkIsOneCharacter() {
    Witness w = found("{\"StringLike\":{\"kms:ViaService\":\"ec2.??-west-1.amazonaws.com\"}}");
    assertThat(requireNonNull(w.context().get("kms:ViaService")).get(0))
        .hasSize("ec2.us-west-1.amazonaws.com".length());
  }

  @Test
  void arnLike_wildcardStaysInsideItsPart() {
    // "*" in the account part cannot swallow the colon before the resource part.
    provedNo(
        """
        {"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Ops"},\
        "ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:*"}}""");
  }

  @Test
  void arnLike_principalArnOfARoleInAnyAccount_findsASessionOfThatRole() {
    Witness w = found("{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/Deploy*\"}}");
    // aws:PrincipalArn of a session is its role's ARN, path included.
    String[] session = w.principal().split("[:/]", -1);
    String roleArn = "arn:aws:iam::" + session[4] + ":role" + w.rolePath() + session[6];
    assertThat(w.principal()).contains(":assumed-role/");
    assertThat(roleArn).contains(":role/Deploy");
  }

  @Test
  void bool_isCaseInsensitive() {
    Witness w =
        found(
            """
            {"Bool":{"aws:MultiFactorAuthPresent":"true"},\
            "StringNotEquals":{"aws:MultiFactorAuthPresent":"true"}}""");
    // (aws:SecureTransport would not do: every request AWS sends to KMS carries it as true.)
    assertThat(requireNonNull(w.context().get("aws:MultiFactorAuthPresent")).get(0))
        .isEqualToIgnoringCase("true");
  }

  @Test
  void binaryEquals_acceptsEveryEncodingOfTheBytes() {
    Witness w =
        found(
            """
            {"BinaryEquals":{"aws:RequestTag/blob":"AQI="},\
            "StringNotEquals":{"aws:RequestTag/blob":"AQI="}}""");
    assertThat(requireNonNull(w.context().get("aws:RequestTag/blob")).get(0)).startsWith("AQ");
  }

  @Test
  void bool_policyValueThatIsNoBoolean_neverMatches() {
    provedNo("{\"Bool\":{\"aws:SecureTransport\":\"yes\"}}");
  }

  @Test
  void policyVariable_inANumericOperator_isLiteralTextThatNeverParses() {
    provedNo("{\"NumericEquals\":{\"kms:RotationPeriodInDays\":\"${aws:username}\"}}");
  }

  @Test
  void date_yearMonthForm_isTheFirstOfTheMonth() {
    provedNo(
        """
        {"DateLessThan":{"aws:CurrentTime":"2024-02"},\
        "DateGreaterThanEquals":{"aws:CurrentTime":"2024-02-01T00:00:00Z"}}""");
  }

  @Test
  void date_justAfterYear9999_isNamedWithAnOffset() {
    Witness w =
        found(
            """
            {"DateGreaterThan":{"aws:CurrentTime":"9999-12-31T23:30:00.100-01:00"},\
            "DateLessThan":{"aws:CurrentTime":"9999-12-31T23:30:00.900-01:00"}}""");
    assertThat(requireNonNull(w.context().get("aws:CurrentTime")).get(0)).endsWith("-18:00");
  }

  @Test
  void null_presentAndAbsentAtOnce_isProvedEmpty() {
    provedNo(
        """
        {"Null":{"kms:ViaService":"true"},\
        "StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}""");
  }

  @Test
  void ifExists_absentKey_matches() {
    Witness w = found("{\"StringEqualsIfExists\":{\"kms:ViaService\":\"s3.amazonaws.com\"}}");
    assertThat(w.context().getOrDefault("kms:ViaService", List.of("s3.amazonaws.com")))
        .containsExactly("s3.amazonaws.com");
  }

  @Test
  void forAnyAndForAllValues_needASetWithBothValues() {
    Witness w =
        found(
            """
            {"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"tenant"},\
            "ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["tenant","purpose"]},\
            "ForAnyValue:StringLike":{"kms:EncryptionContextKeys":"p*"}}""");
    assertThat(w.context().get("kms:EncryptionContextKeys")).contains("tenant", "purpose");
  }

  @Test
  void forAllValues_excludingEveryValueOfARequiredOne_isProvedEmpty() {
    provedNo(
        """
        {"ForAnyValue:StringEquals":{"kms:EncryptionContextKeys":"tenant"},\
        "ForAllValues:StringNotEquals":{"kms:EncryptionContextKeys":"tenant"}}""");
  }

  @Test
  void forAnyValue_moreConditionsThanTheBound_isUnknownNotNo() {
    // given: three values are needed, but requests carry at most one
    KeyPolicy p =
        allowEveryoneIf(
            """
            {"ForAnyValue:StringEquals":{"aws:TagKeys":"a"},\
            "ForAnyValue:StringLike":{"aws:TagKeys":"b"},\
            "ForAnyValue:StringEqualsIgnoreCase":{"aws:TagKeys":"c"}}""");
    PolicyProver small = PolicyProver.builder().maxSetSize(1).build();

    // then
    ProofResult r = small.externalAccess(p, KEY, List.of(KmsAction.DECRYPT));
    assertThat(r).isInstanceOf(ProofResult.Unknown.class);
    assertThat(((ProofResult.Unknown) r).reason()).isEqualTo(UnknownReason.BOUNDED);
    assertWitness(prover.externalAccess(p, KEY, List.of(KmsAction.DECRYPT)), p);
  }

  @Test
  void policyVariable_tagEqualsUserName_findsAUserWithThatTag() {
    KeyPolicy p =
        allow(
            "\"Principal\":{\"AWS\":\"*\"}",
            "{\"StringEquals\":{\"aws:PrincipalTag/owner\":\"${aws:username}\"}}");
    Witness w = assertWitness(ask(p), p);
    String user = w.principal().substring(w.principal().lastIndexOf('/') + 1);
    assertThat(w.context().get("aws:PrincipalTag/owner")).containsExactly(user);
  }

  @Test
  void policyVariable_inTheResource_matchesAUserNamedAfterTheKey() {
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Own","Effect":"Allow","Principal":"*","Action":"kms:Decrypt",\
            "Resource":"arn:aws:kms:us-east-1:111122223333:key/${aws:username}"}""");
    Witness w = assertWitness(ask(p), p);
    assertThat(w.principal()).endsWith("/1234abcd-12ab-34cd-56ef-1234567890ab");
  }

  @Test
  void policyVariable_withDefault_usesTheDefaultWhenTheKeyIsAbsent() {
    KeyPolicy p =
        allowEveryoneIf(
            """
            {"StringEquals":{"kms:ViaService":"${aws:RequestTag/svc, 'ec2.amazonaws.com'}"},\
            "Null":{"aws:RequestTag/svc":"true"}}""");
    Witness w = assertWitness(ask(p), p);
    assertThat(w.context().get("kms:ViaService")).containsExactly("ec2.amazonaws.com");
  }

  @Test
  void policyVariable_nextToAWildcard_isUnsupportedNotGuessed() {
    ProofResult r =
        ask(allowEveryoneIf("{\"StringLike\":{\"kms:ViaService\":\"${aws:username}*\"}}"));
    assertThat(r).isInstanceOf(ProofResult.Unknown.class);
    assertThat(((ProofResult.Unknown) r).reason()).isEqualTo(UnknownReason.UNSUPPORTED_CONSTRUCT);
    assertThat(((ProofResult.Unknown) r).detail()).contains("${aws:username}*");
  }

  @Test
  void keyComparedAsTextAndAsNumber_isUnsupportedNotGuessed() {
    ProofResult r =
        ask(
            allowEveryoneIf(
                """
                {"StringEquals":{"kms:RotationPeriodInDays":"90"},\
                "NumericGreaterThan":{"kms:RotationPeriodInDays":"30"}}"""));
    assertThat(((ProofResult.Unknown) r).reason()).isEqualTo(UnknownReason.UNSUPPORTED_CONSTRUCT);
  }

  @Test
  void unknownOperator_inAnAllow_isNeverCounted() {
    provedNo("{\"StringFuzzyEquals\":{\"kms:ViaService\":\"s3.amazonaws.com\"}}");
  }

  @Test
  void unknownOperator_inADeny_appliesToEveryone() {
    // given
    KeyPolicy p =
        policy(
            ROOT_STATEMENT,
            """
            {"Sid":"Anyone","Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}""",
            """
            {"Sid":"Odd","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*",\
            "Condition":{"StringFuzzyEquals":{"kms:ViaService":"s3.amazonaws.com"}}}""");

    // then
    assertThat(ask(p).kind()).isEqualTo(ProofResult.Kind.PROVED_NO);
  }

  @Test
  void emptyValueList_neverMatchesButIfExistsOnAnAbsentKeyDoes() {
    provedNo("{\"StringEquals\":{\"kms:ViaService\":[]}}");
    Witness w = found("{\"StringEqualsIfExists\":{\"kms:ViaService\":[]}}");
    assertThat(w.context()).doesNotContainKey("kms:ViaService");
  }

  @Test
  void timeout_tooShortToAnswer_isUnknownNotNo() {
    PolicyProver hurried = PolicyProver.builder().timeout(java.time.Duration.ofMillis(1)).build();
    ProofResult r = hurried.externalAccess(policy(ROOT_STATEMENT), KEY);
    assertThat(r).isInstanceOf(ProofResult.Unknown.class);
    assertThat(((ProofResult.Unknown) r).reason()).isEqualTo(UnknownReason.TIMEOUT);
  }
}
