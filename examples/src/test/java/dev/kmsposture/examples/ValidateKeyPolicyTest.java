package dev.kmsposture.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidateKeyPolicyTest {

  @Test
  void problems_defaultKeyPolicy_none() {
    String json =
        """
        {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{
          "Sid": "Enable IAM User Permissions", "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
          "Action": "kms:*", "Resource": "*"}]}
        """;

    assertThat(ValidateKeyPolicy.problems(json)).isEmpty();
  }

  @Test
  void problems_emptyConditionValues_reportedWithPointer() {
    String json =
        """
        {"Version": "2012-10-17", "Statement": [{
          "Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*",
          "Condition": {"StringNotEquals": {"aws:PrincipalArn": []}}}]}
        """;

    assertThat(ValidateKeyPolicy.problems(json))
        .singleElement()
        .asString()
        .contains("/Statement/0/Condition/StringNotEquals/aws:PrincipalArn")
        .contains("empty value list");
  }

  @Test
  void problems_bothActionAndNotAction_rejectedWithPointer() {
    String json =
        """
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
          "Action": "kms:Decrypt", "NotAction": "kms:Encrypt", "Resource": "*"}]}
        """;

    assertThat(ValidateKeyPolicy.problems(json))
        .containsExactly(
            "rejected at /Statement/0/NotAction: the statement has both Action and NotAction; a"
                + " statement may have only one of them");
  }
}
