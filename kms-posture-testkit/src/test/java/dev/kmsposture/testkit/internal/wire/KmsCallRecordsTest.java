package dev.kmsposture.testkit.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.JournalEntry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a KMS request the wire layer refused is journaled. */
class KmsCallRecordsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AwsCall call(String operation, String body) throws Exception {
    return new AwsCall(
        "kms",
        operation,
        "eu-west-1",
        Caller.root(AccountId.of("123456789012")),
        (ObjectNode) JSON.readTree(body),
        "req-1",
        Instant.parse("2026-03-01T10:00:00Z"),
        "agent",
        "127.0.0.1");
  }

  @Test
  void rejected_keepsWhatCloudTrailLogs_andNeverPlaintextOrCiphertext() throws Exception {
    // given
    AwsCall encrypt =
        call(
            "Encrypt",
            "{\"KeyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\",\"Plaintext\":\"c2VjcmV0\","
                + "\"EncryptionContext\":{\"Tenant\":\"a\"},\"GrantTokens\":[\"token\"]}");

    // when
    JournalEntry entry =
        KmsCallRecords.rejected(encrypt, "ThrottlingException", "slow down", "e-1");

    // then
    assertThat(JSON.readTree(entry.requestParametersJson()))
        .isEqualTo(
            JSON.readTree(
                "{\"keyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\","
                    + "\"encryptionContext\":{\"Tenant\":\"a\"}}"));
    assertThat(entry.keyArns())
        .containsExactly(
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    assertThat(entry.readOnly()).isTrue();
    assertThat(entry.errorCode()).isEqualTo("ThrottlingException");
    assertThat(entry.errorMessage()).isEqualTo("slow down");
    assertThat(entry.eventType()).isEqualTo("AwsApiCall");
    assertThat(entry.requestId()).isEqualTo("req-1");
  }

  @Test
  void rejected_nestedStructures_getLowerCamelNames_aliasesAreNotResolved() throws Exception {
    AwsCall tag =
        call(
            "CreateGrant",
            "{\"KeyId\":\"alias/orders\",\"Constraints\":{\"EncryptionContextSubset\":"
                + "{\"App\":\"x\"}},\"Operations\":[\"Decrypt\"]}");

    JournalEntry entry = KmsCallRecords.rejected(tag, "ThrottlingException", "m", "e-2");

    assertThat(JSON.readTree(entry.requestParametersJson()))
        .isEqualTo(
            JSON.readTree(
                "{\"keyId\":\"alias/orders\",\"constraints\":{\"encryptionContextSubset\":"
                    + "{\"App\":\"x\"}},\"operations\":[\"Decrypt\"]}"));
    assertThat(entry.keyArns()).isEmpty();
    assertThat(entry.readOnly()).isFalse();
  }

  @Test
  void partition_followsTheRegion() {
    assertThat(KmsCallRecords.partitionOf("cn-north-1")).isEqualTo("aws-cn");
    assertThat(KmsCallRecords.partitionOf("us-gov-west-1")).isEqualTo("aws-us-gov");
    assertThat(KmsCallRecords.partitionOf("ap-southeast-1")).isEqualTo("aws");
  }
}
