package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.kms.JournalEntry;
import dev.kmsposture.testkit.kms.RequestJournal;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Records each call into the request journal as CloudTrail would log it: operation, keys, caller,
 * outcome, and the request parameters CloudTrail keeps (lower-camel member names; key ids,
 * encryption context, grant constraints, policies, tags, the pending window, …) — never plaintext,
 * ciphertext, data keys, key material, import tokens, grant tokens, messages, signatures or MACs.
 */
final class JournalWriter {
  /** Members whose values are secrets or secret-bearing blobs; CloudTrail omits them. */
  private static final Set<String> SECRET =
      Set.of(
          "Plaintext",
          "CiphertextBlob",
          "SourceCiphertextBlob",
          "EncryptedKeyMaterial",
          "ImportToken",
          "GrantTokens",
          "GrantToken",
          "Message",
          "Signature",
          "Mac",
          "PublicKey",
          "Recipient",
          "Ciphertext");

  /** Members that are maps: their keys are the caller's, not member names. */
  private static final Set<String> MAPS =
      Set.of(
          "EncryptionContext",
          "SourceEncryptionContext",
          "DestinationEncryptionContext",
          "EncryptionContextSubset",
          "EncryptionContextEquals");

  /** Operations CloudTrail records as read-only events. */
  private static final Set<String> READ_ONLY =
      Set.of(
          "DescribeKey",
          "DescribeCustomKeyStores",
          "GetKeyPolicy",
          "GetKeyRotationStatus",
          "GetKeyLastUsage",
          "GetParametersForImport",
          "GetPublicKey",
          "ListAliases",
          "ListGrants",
          "ListKeyPolicies",
          "ListKeyRotations",
          "ListKeys",
          "ListResourceTags",
          "ListRetirableGrants",
          "Encrypt",
          "Decrypt",
          "ReEncrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext",
          "GenerateRandom",
          "GenerateMac",
          "VerifyMac",
          "Sign",
          "Verify",
          "DeriveSharedSecret",
          "Encapsulate",
          "Decapsulate");

  private final RequestJournal journal;

  JournalWriter(RequestJournal journal) {
    this.journal = journal;
  }

  void record(KmsCall c, @Nullable String errorCode) {
    journal.record(
        new JournalEntry(
            c.now(),
            c.eventId,
            c.call.requestId(),
            "AwsApiCall",
            c.call.service(),
            c.operation(),
            c.region(),
            c.call.caller(),
            c.keyArns,
            errorCode,
            READ_ONLY.contains(c.operation()),
            c.call.userAgent(),
            c.call.sourceIpAddress(),
            sanitize(c.call.input()).toString()));
  }

  /** The request parameters CloudTrail keeps, with lower-camel member names. */
  static ObjectNode sanitize(ObjectNode input) {
    ObjectNode out = Json.object();
    for (Map.Entry<String, JsonNode> e : input.properties()) {
      String member = e.getKey();
      if (SECRET.contains(member)) {
        continue;
      }
      out.set(
          Request.field(member), MAPS.contains(member) ? e.getValue() : structure(e.getValue()));
    }
    return out;
  }

  private static JsonNode structure(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return sanitize(object);
    }
    if (node instanceof ArrayNode array) {
      ArrayNode out = Json.array();
      array.forEach(item -> out.add(structure(item)));
      return out;
    }
    return node;
  }
}
