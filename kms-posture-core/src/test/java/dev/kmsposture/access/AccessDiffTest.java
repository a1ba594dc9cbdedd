package dev.kmsposture.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import org.junit.jupiter.api.Test;

class AccessDiffTest {

  private static final AccountId ACCOUNT = AccountId.of("111122223333");
  private static final String ROOT =
      "{\"Sid\": \"Root\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\"}";
  private static final String APP_DECRYPT =
      "{\"Sid\": \"App\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\":"
          + " \"arn:aws:iam::111122223333:role/App\"}, \"Action\": \"kms:Decrypt\", \"Resource\":"
          + " \"*\"}";

  private static KeyPolicy policy(String... statements) {
    return KeyPolicy.parse(
        "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}");
  }

  private static String allowStar(String condition) {
    return "{\"Sid\": \"Star\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
        + " \"kms:Decrypt\", \"Resource\": \"*\""
        + (condition.isEmpty() ? "" : ", \"Condition\": " + condition)
        + "}";
  }

  @Test
  void between_samePolicy_isEmpty() {
    AccessDiff diff =
        AccessDiff.between(policy(ROOT, APP_DECRYPT), policy(ROOT, APP_DECRYPT), ACCOUNT);

    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.isExhaustive()).isTrue();
    assertThat(diff.requestCount()).isPositive();
    assertThat(diff.summary()).isEmpty();
  }

  @Test
  void between_publicStatementAdded_grantsNewAccessToAnotherAccount() {
    // given
    KeyPolicy before = policy(ROOT);
    KeyPolicy after = policy(ROOT, allowStar(""));

    // when
    AccessDiff diff = AccessDiff.between(before, after, ACCOUNT);

    // then
    assertThat(diff.grantsNewAccess()).isTrue();
    assertThat(diff.removesAccess()).isFalse();
    assertThat(diff.added())
        .anySatisfy(
            c -> {
              assertThat(c.principal())
                  .isEqualTo("arn:aws:iam::999999999999:role/kms-posture-probe");
              assertThat(c.action()).isEqualTo(KmsAction.DECRYPT);
              assertThat(c.transition()).isEqualTo("denied -> allowed if IAM allows");
            });
    assertThat(diff.summary())
        .contains(
            "+ arn:aws:iam::999999999999:role/kms-posture-probe: kms:Decrypt [no request context]"
                + " (denied -> allowed if IAM allows)");
  }

  @Test
  void between_statementRemoved_removesAccessOnly() {
    AccessDiff diff = AccessDiff.between(policy(ROOT, APP_DECRYPT), policy(ROOT), ACCOUNT);

    assertThat(diff.grantsNewAccess()).isFalse();
    assertThat(diff.removed())
        .extracting(AccessChange::toString)
        .contains(
            "- arn:aws:iam::111122223333:role/App kms:Decrypt [no request context]: allowed ->"
                + " allowed if IAM allows");
  }

  @Test
  void between_viaServiceConditionAdded_removesOnlyRequestsWithoutIt() {
    // given
    String narrowed =
        APP_DECRYPT.replace(
            "\"Resource\": \"*\"",
            "\"Resource\": \"*\", \"Condition\": {\"StringEquals\": {\"kms:ViaService\":"
                + " \"s3.us-east-1.amazonaws.com\"}}");

    // when
    AccessDiff diff = AccessDiff.between(policy(APP_DECRYPT), policy(narrowed), ACCOUNT);

    // then
    assertThat(diff.grantsNewAccess()).isFalse();
    assertThat(diff.removed())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.context()).doesNotContain("s3.us-east-1.amazonaws.com"));
  }

  @Test
  void between_sourceIpRangeWidened_grantsNewAccess() {
    AccessDiff diff =
        AccessDiff.between(
            policy(ROOT, allowStar("{\"IpAddress\": {\"aws:SourceIp\": \"10.1.0.0/16\"}}")),
            policy(ROOT, allowStar("{\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/8\"}}")),
            ACCOUNT);

    assertThat(diff.grantsNewAccess()).isTrue();
    assertThat(diff.added())
        .allSatisfy(c -> assertThat(c.context()).startsWith("aws:SourceIp=10."));
  }

  @Test
  void between_callerAccountChangedToOtherAccount_grantsThatAccount() {
    AccessDiff diff =
        AccessDiff.between(
            policy(
                ROOT, allowStar("{\"StringEquals\": {\"kms:CallerAccount\": \"111122223333\"}}")),
            policy(
                ROOT, allowStar("{\"StringEquals\": {\"kms:CallerAccount\": \"444455556666\"}}")),
            ACCOUNT);

    assertThat(diff.added())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.principal()).contains("444455556666"));
  }

  @Test
  void lastIpv4_cidr_lastAddress() {
    assertThat(AccessDiff.lastIpv4("10.0.0.0/8")).isEqualTo("10.255.255.255");
    assertThat(AccessDiff.lastIpv4("192.168.1.0/24")).isEqualTo("192.168.1.255");
    assertThat(AccessDiff.lastIpv4("2001:db8::/32")).isNull();
  }

  @Test
  void between_manyConditionKeys_boundedButStillFindsTheGain() {
    // given: 10 x 6 x 6 x 6 context variants, more than MAX_CONTEXTS
    String condition =
        "{\"StringEquals\": {\"kms:ViaService\": [\"a.amazonaws.com\", \"b.amazonaws.com\","
            + " \"c.amazonaws.com\", \"d.amazonaws.com\", \"e.amazonaws.com\", \"f.amazonaws.com\","
            + " \"g.amazonaws.com\", \"h.amazonaws.com\"], \"kms:EncryptionContext:a\": [\"1\", \"2\","
            + " \"3\", \"4\"], \"kms:EncryptionContext:b\": [\"1\", \"2\", \"3\", \"4\"],"
            + " \"kms:EncryptionContext:c\": [\"1\", \"2\", \"3\", \"4\"]}}";

    // when
    AccessDiff diff = AccessDiff.between(policy(ROOT), policy(ROOT, allowStar(condition)), ACCOUNT);

    // then
    assertThat(diff.isExhaustive()).isFalse();
    assertThat(diff.grantsNewAccess()).isTrue();
    assertThat(diff.added().get(0).context())
        .isEqualTo(
            "kms:EncryptionContext:a=1, kms:EncryptionContext:b=1, kms:EncryptionContext:c=1,"
                + " kms:ViaService=a.amazonaws.com");
  }

  @Test
  void between_policiesOf8And26Kilobytes_staysWithinTheRequestCap() {
    // given: two valid policies of about 8 KB and 26 KB naming many principals, accounts,
    // condition keys and values (main enumerated 7.8 million requests for such a pair, minutes)
    GrowingPolicies.Shape small = new GrowingPolicies.Shape(13, 6, 3, 4, false);
    GrowingPolicies.Shape large = new GrowingPolicies.Shape(37, 8, 3, 5, false);
    assertThat(GrowingPolicies.text(small, 1).length()).isBetween(6_000, 10_000);
    assertThat(GrowingPolicies.text(large, 2).length()).isBetween(22_000, 30_000);
    KeyPolicy before = GrowingPolicies.policy(small, 1);
    KeyPolicy after = GrowingPolicies.policy(large, 2);

    // when
    AccessDiff diff = AccessDiff.between(before, after, ACCOUNT);

    // then
    assertThat(diff.requestCount()).isLessThanOrEqualTo(AccessDiff.MAX_REQUESTS);
    assertThat(diff.coverage()).isNotEqualTo(AccessDiff.Coverage.EXHAUSTIVE);
    assertThat(diff.isExhaustive()).isFalse();
    assertThat(diff.evaluationCount()).isLessThan(diff.requestCount());
  }

  @Test
  void between_newPolicyOpensTheKeyToEveryone_keepsAtMostMaxListedChanges() {
    // given: every probe gains every action in every context: about 30,000 changes
    String deny =
        "{\"Sid\": \"Deny\", \"Effect\": \"Deny\", \"Principal\": {\"AWS\":"
            + " \"arn:aws:iam::444455556666:root\"}, \"Action\": \"kms:*\", \"Resource\": \"*\","
            + " \"Condition\": {\"StringEquals\": {\"kms:EncryptionContext:a\": [\"1\", \"2\","
            + " \"3\", \"4\"], \"kms:EncryptionContext:b\": [\"1\", \"2\", \"3\", \"4\"]}}}";
    String everyone =
        "{\"Sid\": \"Everyone\", \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\":"
            + " \"kms:*\", \"Resource\": \"*\"}";

    // when
    AccessDiff diff = AccessDiff.between(policy(ROOT, deny), policy(ROOT, deny, everyone), ACCOUNT);

    // then
    assertThat(diff.addedCount()).isGreaterThan(AccessDiff.MAX_LISTED_CHANGES);
    assertThat(diff.added()).hasSize(AccessDiff.MAX_LISTED_CHANGES);
    assertThat(diff.grantsNewAccess()).isTrue();
    assertThat(diff.addedSummary())
        .last()
        .asString()
        .startsWith("+ … and " + (diff.addedCount() - AccessDiff.MAX_LISTED_CHANGES) + " more");
  }

  // Issue 15, found by the differential property against the prover at 1,000 tries (seed of
  // CoreAgreementProperties.accessDiff_equalsTheProvers): the new policy denies every IAM ARN of
  // the account by a pattern over arn:aws:iam:: ARNs, which leaves out federated users (their ARNs
  // are arn:aws:sts::…:federated-user/…), and delegates to the account through the root
  // statement. A federated user's CancelKeyDeletion goes from denied to "allowed if IAM allows";
  // the diff tried no federated user and said "no new access" (exhaustive).
  @Test
  void between_federatedUserNewlyDelegated_grantsNewAccess() {
    // given
    KeyPolicy before =
        policy(
            "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:role/Partner\"},"
                + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\"],\"Resource\":\"*\",\"Condition\":"
                + "{\"Bool\":{\"aws:SecureTransport\":\"true\"},\"StringEquals\":"
                + "{\"aws:PrincipalAccount\":\"444455556666\"}}}",
            "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::111122223333:role/*\"},"
                + "\"ArnNotEquals\":{\"aws:PrincipalArn\":\"arn:aws:iam::111122223333:role/BreakGlass\"}}}",
            "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:PutKeyPolicy\","
                + "\"Resource\":\"*\"}");
    KeyPolicy after =
        policy(
            ROOT,
            "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/BreakGlass\"},"
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}",
            "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:*\"},"
                + "\"Action\":\"kms:*\",\"NotResource\":"
                + "\"arn:aws:kms:us-east-1:111122223333:key/0000aaaa-00aa-00aa-00aa-0000000000aa\"}");

    // when
    AccessDiff diff =
        AccessDiff.between(
            before,
            after,
            ACCOUNT,
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");

    // then
    assertThat(diff.grantsNewAccess()).as(String.join("\n", diff.summary())).isTrue();
    assertThat(diff.added())
        .anySatisfy(
            c -> {
              assertThat(c.principal()).contains(":federated-user/");
              assertThat(c.action()).isEqualTo(KmsAction.CANCEL_KEY_DELETION);
              assertThat(c.transition()).isEqualTo("denied -> allowed if IAM allows");
            });
  }

  @Test
  void between_overlappingPrincipalPatterns_isNotExhaustiveAndSaysWhy() {
    // given: a user matching both patterns is denied; which one is not obvious to the diff
    String allow =
        "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/a*\"},"
            + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";
    String deny =
        "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/*b\"},"
            + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}";

    // when
    AccessDiff diff = AccessDiff.between(policy(ROOT, allow, deny), policy(ROOT, allow), ACCOUNT);

    // then: either the diff finds the user ab (allowed now, denied before), or it says possibly
    assertThat(diff.grantsNewAccess() || !diff.isExhaustive()).isTrue();
    if (!diff.grantsNewAccess()) {
      assertThat(diff.whyNotExhaustive()).anySatisfy(w -> assertThat(w).contains("overlap"));
    }
  }
}
