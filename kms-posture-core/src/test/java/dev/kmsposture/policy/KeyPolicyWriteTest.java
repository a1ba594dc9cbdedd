package dev.kmsposture.policy;

import static dev.kmsposture.policy.PolicyTexts.allow;
import static dev.kmsposture.policy.PolicyTexts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The canonical form is pinned: key order, indentation, escapes, value shapes and types. */
class KeyPolicyWriteTest {

  /** Keys in non-canonical order, mixed shapes, and strings that need escapes. */
  private static final String SCRAMBLED =
      """
      {"Statement": [{"Resource": ["*"],
        "Condition": {"StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com"],
                                       "kms:CallerAccount": "111122223333"},
                      "Bool": {"kms:GrantIsForAWSResource": true},
                      "NumericLessThan": {"aws:MultiFactorAuthAge": 3.6e3},
                      "StringLike": {}},
        "Action": "kms:CreateGrant",
        "Principal": {"Service": "logs.amazonaws.com",
                      "AWS": ["arn:aws:iam::111122223333:role/A\\"q\\\\", "111122223333"]},
        "Effect": "Allow",
        "Sid": "t\\tab \\u4e2d\\u0001 \\u00e9"}],
       "Id": "k", "Version": "2012-10-17"}""";

  @Test
  void toJson_scrambledDocument_writesCanonicalForm() {
    assertThat(KeyPolicy.parse(SCRAMBLED).toJson())
        .isEqualTo(
            """
            {
              "Version": "2012-10-17",
              "Id": "k",
              "Statement": [
                {
                  "Sid": "t\\tab \\u4e2d\\u0001 é",
                  "Effect": "Allow",
                  "Principal": {
                    "AWS": [
                      "arn:aws:iam::111122223333:role/A\\"q\\\\",
                      "111122223333"
                    ],
                    "Service": "logs.amazonaws.com"
                  },
                  "Action": "kms:CreateGrant",
                  "Resource": [
                    "*"
                  ],
                  "Condition": {
                    "Bool": {
                      "kms:GrantIsForAWSResource": true
                    },
                    "NumericLessThan": {
                      "aws:MultiFactorAuthAge": 3.6e3
                    },
                    "StringEquals": {
                      "kms:CallerAccount": "111122223333",
                      "kms:ViaService": [
                        "s3.us-east-1.amazonaws.com"
                      ]
                    },
                    "StringLike": {}
                  }
                }
              ]
            }
            """);
  }

  @Test
  void toCompactJson_scrambledDocument_writesCanonicalFormWithoutWhitespace() {
    assertThat(KeyPolicy.parse(SCRAMBLED).toCompactJson())
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Id\":\"k\",\"Statement\":[{\"Sid\":\"t\\tab \\u4e2d\\u0001"
                + " é\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:role/A\\\"q\\\\\","
                + "\"111122223333\"],\"Service\":\"logs.amazonaws.com\"},\"Action\":\"kms:CreateGrant\","
                + "\"Resource\":[\"*\"],\"Condition\":{\"Bool\":{\"kms:GrantIsForAWSResource\":true},"
                + "\"NumericLessThan\":{\"aws:MultiFactorAuthAge\":3.6e3},\"StringEquals\":"
                + "{\"kms:CallerAccount\":\"111122223333\",\"kms:ViaService\":[\"s3.us-east-1.amazonaws.com\"]},"
                + "\"StringLike\":{}}}]}");
  }

  @Test
  void toString_isCompactCanonicalJson() {
    KeyPolicy p = KeyPolicy.parse(SCRAMBLED);

    assertThat(p).hasToString(p.toCompactJson());
    assertThat(p.statements().get(0).toString())
        .startsWith("{\"Sid\":\"t\\tab \\u4e2d\\u0001 é\",\"Effect\":\"Allow\",")
        .endsWith("\"StringLike\":{}}}");
  }

  @Test
  void toJson_singleStatementObjectAndNoVersion_keptAsWritten() {
    KeyPolicy p =
        KeyPolicy.parse(
            "{\"Statement\": {\"Effect\": \"Deny\", \"NotPrincipal\": \"*\", \"NotAction\":"
                + " \"kms:Decrypt\", \"NotResource\": []}}");

    assertThat(p.toJson())
        .isEqualTo(
            """
            {
              "Statement": {
                "Effect": "Deny",
                "NotPrincipal": "*",
                "NotAction": "kms:Decrypt",
                "NotResource": []
              }
            }
            """);
  }

  @Test
  void toJson_booleanAndNumberTypesKept_stringsStayStrings() {
    KeyPolicy p =
        KeyPolicy.parse(
            policy(
                allow(
                    "\"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\","
                        + " \"kms:GrantIsForAWSResource\": [false]}, \"NumericEquals\": {\"a\":"
                        + " [-0, \"1\", 1E+2]}}")));

    assertThat(p.toCompactJson())
        .contains(
            "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\","
                + "\"kms:GrantIsForAWSResource\":[false]},\"NumericEquals\":{\"a\":[-0,\"1\",1E+2]}}");
  }

  @Test
  void toJson_controlAndNonLatin1Characters_escapedOthersRaw() {
    KeyPolicy p =
        KeyPolicy.parse(
            policy(allow("\"Sid\": \"\\b\\f\\n\\r\\u001f\\u007f\\u00ff\\u0100\\ud83d\\ude00/\"")));

    assertThat(p.toCompactJson())
        .contains("\"Sid\":\"\\b\\f\\n\\r\\u001f\u007f\u00ff\\u0100\\ud83d\\ude00/\"");
  }

  @Test
  void parse_ofToJson_equalsOriginal() {
    KeyPolicy p = KeyPolicy.parse(SCRAMBLED);

    assertThat(KeyPolicy.parse(p.toJson())).isEqualTo(p);
    assertThat(KeyPolicy.parse(p.toCompactJson())).isEqualTo(p);
    assertThat(KeyPolicy.parse(p.toJson()).toJson()).isEqualTo(p.toJson());
  }

  @Test
  void compactSize_countsUtf8Bytes() {
    KeyPolicy p = KeyPolicy.parse(policy(allow("\"Sid\": \"é\"")));

    assertThat(p.compactSize()).isEqualTo(p.toCompactJson().length() + 1L);
  }

  @Test
  void builder_defaultsToVersion2012AndArray() {
    KeyPolicy p =
        KeyPolicy.builder()
            .addStatement(
                s ->
                    s.sid("Root")
                        .effect(Effect.ALLOW)
                        .addPrincipal(Principal.root(AccountId.of("111122223333")))
                        .addAction(KmsAction.ALL)
                        .addResource("*"))
            .build();

    assertThat(p.toCompactJson())
        .isEqualTo(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\","
                + "\"Resource\":\"*\"}]}");
  }
}
