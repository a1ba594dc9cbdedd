package dev.kmsposture.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The parts of the policy model that only library users call: an ARN's account and resource type, a
 * qualifier's prefix, an empty Condition element, and the Version a built policy carries.
 */
class PolicyAccessorsTest {

  @Test
  void arn_accountIdAndResourceType() {
    Arn key = Arn.parse("arn:aws:kms:us-east-1:111122223333:key/1234abcd");
    Arn bucket = Arn.parse("arn:aws:s3:::orders-data");
    Arn log = Arn.parse("arn:aws:logs:us-east-1:111122223333:log-group:app:*");

    assertThat(key.accountId()).contains(AccountId.of("111122223333"));
    assertThat(key.resourceType()).isEqualTo("key");
    assertThat(bucket.accountId()).isEmpty();
    assertThat(bucket.resourceType()).isEqualTo("orders-data");
    assertThat(log.resourceType()).isEqualTo("log-group");
    assertThat(Arn.parse("arn:aws:iam::*:root").accountId()).isEmpty();
  }

  @Test
  void qualifier_prefix_isAsWritten() {
    assertThat(ConditionOperator.of("ForAnyValue:StringLike").qualifier().prefix())
        .isEqualTo("ForAnyValue:");
    assertThat(ConditionOperator.of("ForAllValues:StringEquals").qualifier().prefix())
        .isEqualTo("ForAllValues:");
    assertThat(ConditionOperator.of("StringEquals").qualifier().prefix()).isEmpty();
  }

  @Test
  void conditionElement_isEmpty_onlyWithoutAnyCondition() {
    KeyPolicy p =
        KeyPolicy.parse(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {}}},
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": "kms:Decrypt", "Resource": "*",
               "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}}}]}""");

    assertThat(Objects.requireNonNull(p.statements().get(0).condition()).isEmpty()).isTrue();
    assertThat(Objects.requireNonNull(p.statements().get(1).condition()).isEmpty()).isFalse();
  }

  @Test
  void builder_version_isWrittenOrLeftOut() {
    KeyPolicy parsed =
        KeyPolicy.parse(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
               "Action": "kms:*", "Resource": "*"}]}""");

    KeyPolicy old = parsed.toBuilder().version(PolicyVersion.V2008_10_17).build();
    KeyPolicy none = parsed.toBuilder().version(null).build();

    assertThat(old.version()).isEqualTo(PolicyVersion.V2008_10_17);
    assertThat(old.toJson()).contains("\"2008-10-17\"");
    assertThat(none.version()).isNull();
    assertThat(none.toJson()).doesNotContain("Version");
  }
}
