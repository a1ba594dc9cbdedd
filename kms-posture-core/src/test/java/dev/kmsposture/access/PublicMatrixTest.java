package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 15-case "is this key policy public?" matrix: each row is one statement shape that today's
 * tools disagree on, with the verdict AWS's rules give and the reason the analysis must state.
 */
class PublicMatrixTest {

  private static final AccountId KEY_ACCOUNT = AccountId.of("111122223333");

  private static String allow(String principal, String condition) {
    return statement("Allow", "\"Principal\": " + principal, condition);
  }

  private static String statement(String effect, String principal, String condition) {
    return "{\"Effect\": \""
        + effect
        + "\", "
        + principal
        + ", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\""
        + (condition.isEmpty() ? "" : ", \"Condition\": " + condition)
        + "}";
  }

  private static final String ROOT =
      "{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}";

  private static Arguments row(
      String name, String statement, PublicVerdict verdict, String reasonFragment) {
    String json = "{\"Version\": \"2012-10-17\", \"Statement\": [" + ROOT + ", " + statement + "]}";
    return Arguments.of(Named.of(name, json), verdict, reasonFragment);
  }

  static Stream<Arguments> matrix() {
    return Stream.of(
        row("no condition", allow("\"*\"", ""), PublicVerdict.PUBLIC, "it has no condition"),
        row(
            "own kms:CallerAccount",
            allow("\"*\"", "{\"StringEquals\": {\"kms:CallerAccount\": \"111122223333\"}}"),
            PublicVerdict.NOT_PUBLIC,
            "StringEquals kms:CallerAccount [\"111122223333\"] narrows the caller to known"
                + " accounts"),
        row(
            "other account's kms:CallerAccount",
            allow("\"*\"", "{\"StringEquals\": {\"kms:CallerAccount\": \"444455556666\"}}"),
            PublicVerdict.NOT_PUBLIC,
            "StringEquals kms:CallerAccount [\"444455556666\"] narrows the caller to known"
                + " accounts"),
        row(
            "kms:ViaService only",
            allow(
                "\"*\"",
                "{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\"}}"),
            PublicVerdict.PUBLIC,
            "kms:ViaService names the AWS service that calls, not the caller's account"),
        row(
            "kms:ViaService and kms:CallerAccount",
            allow(
                "{\"AWS\": \"*\"}",
                "{\"StringEquals\": {\"kms:ViaService\": \"s3.us-east-1.amazonaws.com\","
                    + " \"kms:CallerAccount\": \"111122223333\"}}"),
            PublicVerdict.NOT_PUBLIC,
            "narrows the caller to known accounts"),
        row(
            "fixed aws:PrincipalOrgID",
            allow("\"*\"", "{\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}"),
            PublicVerdict.NOT_PUBLIC,
            "StringEquals aws:PrincipalOrgID [\"o-a1b2c3d4e5\"] narrows the caller to known"
                + " accounts or an organization"),
        row(
            "wildcard aws:PrincipalOrgID",
            allow("\"*\"", "{\"StringLike\": {\"aws:PrincipalOrgID\": \"o-*\"}}"),
            PublicVerdict.PUBLIC,
            "the value [o-*] is a wildcard that does not pin an account or organization"),
        row(
            "StringEqualsIfExists kms:CallerAccount",
            allow("\"*\"", "{\"StringEqualsIfExists\": {\"kms:CallerAccount\": \"111122223333\"}}"),
            PublicVerdict.PUBLIC,
            "StringEqualsIfExists is true when the key is absent from the request"),
        row(
            "mixed-case condition key",
            allow("\"*\"", "{\"StringEquals\": {\"KMS:callerAccount\": \"111122223333\"}}"),
            PublicVerdict.NOT_PUBLIC,
            "StringEquals KMS:callerAccount [\"111122223333\"] narrows the caller"),
        row(
            "partial wildcard arn:aws:iam::*:root",
            allow("{\"AWS\": \"arn:aws:iam::*:root\"}", ""),
            PublicVerdict.PUBLIC,
            "every principal matching arn:aws:iam::*:root (IAM does not accept partial"
                + " wildcards; read as broadly as it could match)"),
        row(
            "NotPrincipal with Allow",
            statement(
                "Allow", "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:role/x\"}", ""),
            PublicVerdict.PUBLIC,
            "everyone except arn:aws:iam::111122223333:role/x (Allow with NotPrincipal is not"
                + " supported by AWS"),
        row(
            "NotPrincipal with Deny",
            statement(
                "Deny", "\"NotPrincipal\": {\"AWS\": \"arn:aws:iam::111122223333:role/x\"}", ""),
            PublicVerdict.NOT_PUBLIC,
            ""),
        row(
            "broad aws:SourceIp",
            allow("\"*\"", "{\"IpAddress\": {\"aws:SourceIp\": \"0.0.0.0/0\"}}"),
            PublicVerdict.PUBLIC,
            "[0.0.0.0/0] is broader than /8, so it does not name a known network"),
        row(
            "root and * in one list",
            allow("{\"AWS\": [\"arn:aws:iam::111122223333:root\", \"*\"]}", ""),
            PublicVerdict.PUBLIC,
            "to anyone (Principal {\"AWS\": \"*\"}) and no condition narrows"),
        row(
            "StringLike aws:PrincipalArn across accounts",
            allow("\"*\"", "{\"StringLike\": {\"aws:PrincipalArn\": \"arn:aws:iam::*:role/x\"}}"),
            PublicVerdict.PUBLIC,
            "the value [arn:aws:iam::*:role/x] is a wildcard that does not pin an account"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matrix")
  void publicVerdict_matrixRow_matchesAwsRulesWithReason(
      String json, PublicVerdict expected, String reasonFragment) {
    // given
    KeyPolicy policy = KeyPolicy.parse(json);

    // when
    AccessAnalysis analysis = AccessAnalysis.of(policy, KEY_ACCOUNT);

    // then
    assertThat(analysis.publicVerdict())
        .as(analysis.publicReasons().toString())
        .isEqualTo(expected);
    assertThat(analysis.isPublic()).isEqualTo(expected == PublicVerdict.PUBLIC);
    if (reasonFragment.isEmpty()) {
      assertThat(analysis.publicReasons()).as("Deny statements never make a key public").isEmpty();
    } else {
      assertThat(analysis.publicReasons())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.message()).contains(reasonFragment);
                assertThat(r.place().pointer()).isEqualTo("/Statement/1");
              });
    }
    assertThat(analysis.publicStatements())
        .hasSize(expected == PublicVerdict.PUBLIC ? 1 : 0)
        .allSatisfy(r -> assertThat(r.message()).contains("no condition narrows"));
  }
}
