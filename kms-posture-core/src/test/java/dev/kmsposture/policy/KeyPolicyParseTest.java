package dev.kmsposture.policy;

import static dev.kmsposture.policy.PolicyTexts.allow;
import static dev.kmsposture.policy.PolicyTexts.parseOne;
import static dev.kmsposture.policy.PolicyTexts.policy;
import static dev.kmsposture.policy.PolicyTexts.withPrincipal;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every form KMS accepts parses, and the model keeps what the document wrote. */
class KeyPolicyParseTest {

  @Test
  void parse_scalarValues_keptAsScalars() {
    Statement s = parseOne(allow(""));

    assertThat(requireNonNull(s.action()).array()).isFalse();
    assertThat(requireNonNull(s.resource()).array()).isFalse();
    assertThat(s.principal().arrayTypes()).isEmpty();
    assertThat(s.actions()).containsExactly(KmsAction.DECRYPT);
  }

  @Test
  void parse_arrayValues_keptAsArraysInDocumentOrder() {
    // given
    String json =
        policy(
            """
            {"Effect": "Allow", "Principal": {"AWS": ["111122223333"]},
             "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": ["*"]}""");

    // when
    Statement s = KeyPolicy.parse(json).statements().get(0);

    // then
    assertThat(requireNonNull(s.action()).array()).isTrue();
    assertThat(s.actions()).containsExactly(KmsAction.ENCRYPT, KmsAction.DECRYPT);
    assertThat(requireNonNull(s.resource()).array()).isTrue();
    assertThat(s.principal().arrayTypes()).containsExactly("AWS");
  }

  @Test
  void parse_statementAsObject_keptAsSingleObject() {
    KeyPolicy p =
        KeyPolicy.parse("{\"Version\": \"2012-10-17\", \"Statement\": " + allow("") + "}");

    assertThat(p.statementArray()).isFalse();
    assertThat(p.statements()).hasSize(1);
    assertThat(p.pointerOf(0)).isEqualTo("/Statement");
  }

  @Test
  void parse_statementAsArray_pointersIndexed() {
    KeyPolicy p = KeyPolicy.parse(policy(allow(""), allow("")));

    assertThat(p.statementArray()).isTrue();
    assertThat(p.pointerOf(1)).isEqualTo("/Statement/1");
  }

  @Test
  void parse_barePrincipalStar_isEveryone() {
    Statement s = parseOne(withPrincipal("\"Principal\": \"*\""));

    assertThat(s.principals()).containsExactly(Principal.everyone());
    assertThat(s.principals().get(0).isEveryone()).isTrue();
  }

  @Test
  void parse_awsStar_isEveryoneUnderAws() {
    Principal p = parseOne(withPrincipal("\"Principal\": {\"AWS\": \"*\"}")).principals().get(0);

    assertThat(p).isEqualTo(Principal.aws("*"));
    assertThat(((Principal.Aws) p).kind()).isEqualTo(Principal.AwsKind.EVERYONE);
    assertThat(p.isEveryone()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "111122223333, ACCOUNT, 111122223333, ''",
    "arn:aws:iam::111122223333:root, ACCOUNT, 111122223333, aws",
    "arn:aws:iam::111122223333:role/KeyAdmin, ROLE, 111122223333, aws",
    "arn:aws:iam::111122223333:role/service-role/team/Reader, ROLE, 111122223333, aws",
    "arn:aws:iam::111122223333:user/Alice, USER, 111122223333, aws",
    "arn:aws:iam::111122223333:user/division/Bob, USER, 111122223333, aws",
    "arn:aws:sts::111122223333:assumed-role/KeyAdmin/session-1, ASSUMED_ROLE_SESSION, 111122223333, aws",
    "arn:aws:sts::111122223333:federated-user/Carol, FEDERATED_USER_SESSION, 111122223333, aws",
    "arn:aws-cn:iam::111122223333:root, ACCOUNT, 111122223333, aws-cn",
    "arn:aws-us-gov:iam::111122223333:role/Admin, ROLE, 111122223333, aws-us-gov",
  })
  void parse_awsPrincipalForms_classified(
      String value, Principal.AwsKind kind, String account, String partition) {
    // given
    String json = withPrincipal("\"Principal\": {\"AWS\": \"" + value + "\"}");

    // when
    Principal.Aws p = (Principal.Aws) parseOne(json).principals().get(0);

    // then
    assertThat(p.value()).isEqualTo(value);
    assertThat(p.kind()).isEqualTo(kind);
    assertThat(p.accountId()).contains(AccountId.of(account));
    assertThat(p.partition().orElse("")).isEqualTo(partition);
  }

  @ParameterizedTest
  @CsvSource({"AIDAJQABLZS4A3QDU576Q", "AROADBQP57FF2AEXAMPLE"})
  void parse_uniqueIdPrincipal_classifiedAsUniqueId(String id) {
    Principal.Aws p =
        (Principal.Aws)
            parseOne(withPrincipal("\"Principal\": {\"AWS\": \"" + id + "\"}")).principals().get(0);

    assertThat(p.kind()).isEqualTo(Principal.AwsKind.UNIQUE_ID);
    assertThat(p.accountId()).isEmpty();
  }

  @Test
  void parse_servicePrincipal_kept() {
    Statement s =
        parseOne(withPrincipal("\"Principal\": {\"Service\": \"logs.us-east-1.amazonaws.com\"}"));

    assertThat(s.principals()).containsExactly(Principal.service("logs.us-east-1.amazonaws.com"));
  }

  @Test
  void parse_severalPrincipalTypes_groupedInCanonicalTypeOrder() {
    // given
    String json =
        withPrincipal(
            """
            "Principal": {"Service": ["sns.amazonaws.com", "logs.amazonaws.com"],
                          "AWS": ["arn:aws:iam::111122223333:role/B", "arn:aws:iam::111122223333:role/A"]}""");

    // when
    Statement s = parseOne(json);

    // then
    assertThat(s.principal().types()).containsExactly("AWS", "Service");
    assertThat(s.principals())
        .extracting(Principal::value)
        .containsExactly(
            "arn:aws:iam::111122223333:role/B",
            "arn:aws:iam::111122223333:role/A",
            "sns.amazonaws.com",
            "logs.amazonaws.com");
  }

  @Test
  void parse_notPrincipal_markedNegated() {
    Statement s =
        parseOne(
            "{\"Effect\": \"Deny\", \"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},"
                + " \"Action\": \"kms:*\", \"Resource\": \"*\"}");

    assertThat(s.isNotPrincipal()).isTrue();
    assertThat(s.principals()).containsExactly(Principal.aws("arn:aws:iam::111122223333:root"));
  }

  @Test
  void parse_notActionAndNotResource_markedNegated() {
    Statement s =
        parseOne(
            "{\"Effect\": \"Deny\", \"Principal\": \"*\", \"NotAction\": [\"kms:Decrypt\"],"
                + " \"NotResource\": \"arn:aws:kms:us-east-1:111122223333:key/k\"}");

    assertThat(s.isNotAction()).isTrue();
    assertThat(s.actions()).containsExactly(KmsAction.DECRYPT);
    assertThat(s.isNotResource()).isTrue();
    assertThat(s.resources()).containsExactly("arn:aws:kms:us-east-1:111122223333:key/k");
  }

  @Test
  void parse_severalOperatorsKeysAndValues_allKeptSorted() {
    // given
    String json =
        allow(
            """
            "Condition": {
              "StringEquals": {"kms:ViaService": ["ec2.us-east-1.amazonaws.com", "rds.us-east-1.amazonaws.com"],
                               "kms:CallerAccount": "111122223333"},
              "Bool": {"kms:GrantIsForAWSResource": true},
              "NumericLessThanEquals": {"aws:MultiFactorAuthAge": 3600}}""");

    // when
    List<Condition> cs = parseOne(json).conditions();

    // then
    assertThat(cs)
        .extracting(c -> c.operator().name() + " " + c.key().name() + " " + c.valueTexts())
        .containsExactly(
            "Bool kms:GrantIsForAWSResource [true]",
            "NumericLessThanEquals aws:MultiFactorAuthAge [3600]",
            "StringEquals kms:CallerAccount [111122223333]",
            "StringEquals kms:ViaService [ec2.us-east-1.amazonaws.com, rds.us-east-1.amazonaws.com]");
    assertThat(cs.get(0).values()).containsExactly(ConditionValue.of(true));
    assertThat(cs.get(1).values().get(0).type()).isEqualTo(ConditionValue.Type.NUMBER);
  }

  @Test
  void parse_ifExistsAndSetQualifiers_readIntoOperator() {
    // given
    String json =
        allow(
            """
            "Condition": {
              "StringEqualsIfExists": {"kms:ViaService": "s3.us-east-1.amazonaws.com"},
              "ForAnyValue:StringLike": {"kms:EncryptionContextKeys": "app*"},
              "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["app", "team"]}}""");

    // when
    List<Condition> cs = parseOne(json).conditions();

    // then
    assertThat(cs)
        .extracting(
            c ->
                c.operator().qualifier()
                    + " "
                    + c.operator().base()
                    + " "
                    + c.operator().ifExists())
        .containsExactly(
            "FOR_ALL_VALUES StringEquals false",
            "FOR_ANY_VALUE StringLike false",
            "NONE StringEquals true");
    assertThat(cs).allMatch(c -> c.operator().isKnown());
  }

  @Test
  void parse_conditionKeyInAnyCase_keptAsWritten() {
    Condition c =
        parseOne(
                allow(
                    "\"Condition\": {\"StringEquals\": {\"KMS:CALLERaccount\": \"111122223333\"}}"))
            .conditions()
            .get(0);

    assertThat(c.key().name()).isEqualTo("KMS:CALLERaccount");
    assertThat(c.key().sameKeyAs(ConditionKey.KMS_CALLER_ACCOUNT)).isTrue();
  }

  @Test
  void parse_sameKeyInDifferentOperators_accepted() {
    List<Condition> cs =
        parseOne(
                allow(
                    "\"Condition\": {\"StringEquals\": {\"kms:ViaService\": \"a\"},"
                        + " \"StringLike\": {\"KMS:VIASERVICE\": \"b*\"}}"))
            .conditions();

    assertThat(cs).hasSize(2);
  }

  @Test
  void parse_emptyConditionValuesAndBlocks_keptLosslessly() {
    Statement s =
        parseOne(
            allow(
                "\"Condition\": {\"StringEquals\": {\"kms:ViaService\": []}, \"StringLike\": {}}"));

    assertThat(s.conditions().get(0).values()).isEmpty();
    assertThat(s.conditions().get(0).array()).isTrue();
    assertThat(requireNonNull(s.condition()).emptyOperators())
        .containsExactly(ConditionOperator.STRING_LIKE);
  }

  @Test
  void parse_otherPartitionResource_kept() {
    Statement s =
        parseOne(
            "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws-cn:iam::111122223333:root\"},"
                + " \"Action\": \"kms:*\", \"Resource\": \"arn:aws-cn:kms:cn-north-1:111122223333:key/k\"}");

    assertThat(s.resources()).containsExactly("arn:aws-cn:kms:cn-north-1:111122223333:key/k");
  }

  @ParameterizedTest
  @CsvSource({"2012-10-17, V2012_10_17", "2008-10-17, V2008_10_17"})
  void parse_acceptedVersions_kept(String text, PolicyVersion version) {
    KeyPolicy p =
        KeyPolicy.parse("{\"Version\": \"" + text + "\", \"Statement\": [" + allow("") + "]}");

    assertThat(p.version()).isEqualTo(version);
    assertThat(p.toJson()).contains("\"Version\": \"" + text + "\"");
  }

  @Test
  void parse_missingVersion_keptAsNullAndNotFilledIn() {
    KeyPolicy p = KeyPolicy.parse("{\"Statement\": [" + allow("") + "]}");

    assertThat(p.version()).isNull();
    assertThat(p.toJson()).doesNotContain("Version");
  }

  @Test
  void parse_policyVariableUnder2008_keptAsLiteralText() {
    KeyPolicy p =
        KeyPolicy.parse(
            "{\"Version\": \"2008-10-17\", \"Statement\": ["
                + withPrincipal(
                    "\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:user/${aws:username}\"}")
                + "]}");

    assertThat(p.statements().get(0).principals().get(0).value())
        .isEqualTo("arn:aws:iam::111122223333:user/${aws:username}");
    assertThat(requireNonNull(p.version()).supportsPolicyVariables()).isFalse();
  }

  @Test
  void parse_idAndSid_kept() {
    KeyPolicy p =
        KeyPolicy.parse(
            "{\"Version\": \"2012-10-17\", \"Id\": \"key-consolepolicy-3\", \"Statement\": ["
                + "{\"Sid\": \"Enable IAM User Permissions\", \"Effect\": \"Allow\", \"Principal\":"
                + " {\"AWS\": \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\","
                + " \"Resource\": \"*\"}]}");

    assertThat(p.id()).isEqualTo("key-consolepolicy-3");
    assertThat(p.statement("Enable IAM User Permissions")).isPresent();
    assertThat(p.statement("other")).isEmpty();
  }

  @Test
  void parse_statementWithoutActionOrResource_acceptedWithNulls() {
    Statement s = parseOne("{\"Effect\": \"Allow\", \"Principal\": \"*\"}");

    assertThat(s.action()).isNull();
    assertThat(s.resource()).isNull();
    assertThat(s.actions()).isEmpty();
    assertThat(s.resources()).isEmpty();
  }

  @Test
  void parse_latin1RawCharacters_accepted() {
    Statement s = parseOne(allow("\"Sid\": \"Clé d'accès\""));

    assertThat(s.sid()).isEqualTo("Clé d'accès");
  }

  @Test
  void parse_unknownKmsActionAndOperator_keptAsOpenValues() {
    Statement s =
        parseOne(
            "{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:Decrpyt\", \"Resource\":"
                + " \"*\", \"Condition\": {\"StringEqualz\": {\"kms:ViaService\": \"x\"}}}");

    assertThat(s.actions().get(0).isKnown()).isFalse();
    assertThat(s.conditions().get(0).operator().isKnown()).isFalse();
  }

  @Test
  void parse_numbersKeptAsWritten() {
    Condition c =
        parseOne(allow("\"Condition\": {\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": 1.5e3}}"))
            .conditions()
            .get(0);

    assertThat(c.values()).containsExactly(new ConditionValue("1.5e3", ConditionValue.Type.NUMBER));
  }

  @Test
  void parse_whitespaceAroundDocument_accepted() {
    KeyPolicy p = KeyPolicy.parse("\r\n\t " + policy(allow("")) + " \n");

    assertThat(p.statements()).hasSize(1);
  }
}
