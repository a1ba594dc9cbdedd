package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.kms.JournalEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What CloudTrail records about a KMS request, worked out from the request alone: whether it is a
 * read-only event, which keys it names, and its logged parameters (never plaintext, ciphertext,
 * signatures or key material). The wire layer uses it to journal requests it refuses before the
 * engine sees them (throttling, injected faults).
 */
public final class KmsCallRecords {
  // Read-only management events: every Describe/Get/List call and every cryptographic operation
  // (KMS Developer Guide, "Logging AWS KMS API calls with AWS CloudTrail"; ct-* examples).
  private static final Set<String> READ_ONLY_OPERATIONS =
      Set.of(
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
          "DeriveSharedSecret");

  // Request members CloudTrail logs. Everything else (Plaintext, CiphertextBlob, Message, Mac,
  // Signature, EncryptedKeyMaterial, ImportToken, GrantTokens, Recipient, …) is left out: KMS
  // omits plaintext and cryptographic material from its records.
  private static final Set<String> LOGGED_MEMBERS =
      Set.of(
          "KeyId",
          "SourceKeyId",
          "DestinationKeyId",
          "EncryptionContext",
          "SourceEncryptionContext",
          "DestinationEncryptionContext",
          "EncryptionAlgorithm",
          "SourceEncryptionAlgorithm",
          "DestinationEncryptionAlgorithm",
          "KeySpec",
          "KeyUsage",
          "CustomerMasterKeySpec",
          "NumberOfBytes",
          "KeyPairSpec",
          "SigningAlgorithm",
          "MessageType",
          "MacAlgorithm",
          "KeyAgreementAlgorithm",
          "AliasName",
          "TargetKeyId",
          "Description",
          "PendingWindowInDays",
          "RotationPeriodInDays",
          "GrantId",
          "Name",
          "Operations",
          "GranteePrincipal",
          "RetiringPrincipal",
          "Constraints",
          "Origin",
          "MultiRegion",
          "ReplicaRegion",
          "PrimaryRegion",
          "TagKeys",
          "Tags",
          "PolicyName",
          "Policy",
          "BypassPolicyLockoutSafetyCheck",
          "WrappingAlgorithm",
          "WrappingKeySpec",
          "ExpirationModel",
          "ValidTo",
          "IncludeKeyMaterial",
          "DryRun",
          "CustomKeyStoreId",
          "Limit",
          "Marker");

  private static final Set<String> MAPS =
      Set.of(
          "EncryptionContext",
          "SourceEncryptionContext",
          "DestinationEncryptionContext",
          "EncryptionContextSubset",
          "EncryptionContextEquals");

  private static final List<String> KEY_MEMBERS =
      List.of("KeyId", "SourceKeyId", "DestinationKeyId", "TargetKeyId");

  private KmsCallRecords() {}

  /** Whether CloudTrail records {@code operation} as a read-only management event. */
  public static boolean isReadOnly(String operation) {
    return READ_ONLY_OPERATIONS.contains(operation)
        || operation.startsWith("Describe")
        || operation.startsWith("Get")
        || operation.startsWith("List");
  }

  /**
   * The ARNs of the keys {@code call} names by key id or key ARN. Aliases are left out: resolving
   * them needs the engine.
   */
  public static List<String> keyArns(AwsCall call) {
    List<String> arns = new ArrayList<>();
    for (String member : KEY_MEMBERS) {
      JsonNode value = call.input().get(member);
      if (value == null || !value.isTextual()) {
        continue;
      }
      String text = value.asText();
      String arn;
      if (text.startsWith("arn:") && text.contains(":key/")) {
        arn = text;
      } else if (!text.isEmpty() && !text.startsWith("alias/") && !text.startsWith("arn:")) {
        arn =
            String.format(
                "arn:%s:kms:%s:%s:key/%s",
                partitionOf(call.region()), call.region(), call.caller().account().value(), text);
      } else {
        continue;
      }
      if (!arns.contains(arn)) {
        arns.add(arn);
      }
    }
    return List.copyOf(arns);
  }

  /** The partition of {@code region}: {@code aws-cn}, {@code aws-us-gov} or {@code aws}. */
  public static String partitionOf(String region) {
    String lower = region.toLowerCase(Locale.ROOT);
    if (lower.startsWith("cn-")) {
      return "aws-cn";
    }
    if (lower.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    return "aws";
  }

  /**
   * The request parameters CloudTrail logs for {@code call}, as a JSON object with CloudTrail's
   * lower-camel-case names; never plaintext, ciphertext, signatures or key material.
   */
  public static ObjectNode loggedParameters(AwsCall call) {
    ObjectNode logged = JsonNodeFactory.instance.objectNode();
    call.input()
        .properties()
        .forEach(
            field -> {
              if (LOGGED_MEMBERS.contains(field.getKey())) {
                logged.set(lowerCamel(field.getKey()), structure(field.getKey(), field.getValue()));
              }
            });
    return logged;
  }

  // Nested structures (Tags, Constraints) get lower-camel member names too, as the engine logs
  // them; maps (encryption contexts) keep the caller's keys.
  private static JsonNode structure(String member, JsonNode value) {
    if (MAPS.contains(member)) {
      return value.deepCopy();
    }
    if (value instanceof ObjectNode object) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      object
          .properties()
          .forEach(
              field ->
                  out.set(lowerCamel(field.getKey()), structure(field.getKey(), field.getValue())));
      return out;
    }
    if (value instanceof ArrayNode array) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      array.forEach(item -> out.add(structure("", item)));
      return out;
    }
    return value.deepCopy();
  }

  private static String lowerCamel(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }

  /**
   * The journal entry for a KMS request the wire layer refused before the engine saw it.
   *
   * @param call the request
   * @param errorCode the error it was answered with, such as {@code ThrottlingException}
   * @param errorMessage the error's message
   * @param eventId the new entry's event id
   */
  public static JournalEntry rejected(
      AwsCall call, String errorCode, String errorMessage, String eventId) {
    return new JournalEntry(
        call.receivedAt(),
        eventId,
        call.requestId(),
        "AwsApiCall",
        call.service(),
        call.operation(),
        call.region(),
        call.caller(),
        keyArns(call),
        errorCode,
        isReadOnly(call.operation()),
        call.userAgent(),
        call.sourceIpAddress(),
        loggedParameters(call).toString(),
        errorMessage);
  }
}
