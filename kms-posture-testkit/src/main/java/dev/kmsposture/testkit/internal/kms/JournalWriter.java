package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kmsposture.testkit.internal.wire.AsciiJson;
import dev.kmsposture.testkit.internal.wire.RepeatedText;
import dev.kmsposture.testkit.kms.JournalEntry;
import dev.kmsposture.testkit.kms.RequestJournal;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private final RequestJournal journal;
  // the same request parameters recur call after call (a data key decrypted under one context):
  // the entries share one copy of the text
  private final RepeatedText parameters = new RepeatedText();

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
            sanitizedJson(c.call.input(), parameters)));
  }

  /**
   * The request parameters CloudTrail keeps, with lower-camel member names, as JSON text: written
   * straight from the request, without a sanitized copy of its tree (this runs for every call).
   */
  static String sanitizedJson(ObjectNode input) {
    return sanitizedJson(input, new RepeatedText());
  }

  /** {@link #sanitizedJson(ObjectNode)}, plain text shared through {@code repeats}. */
  static String sanitizedJson(ObjectNode input, RepeatedText repeats) {
    if (input.isEmpty()) {
      return "{}";
    }
    // plain text (the usual request: ids, algorithms, an encryption context in ASCII) is written
    // straight into bytes; anything that needs escaping goes through Jackson's generator
    String plain = plainSanitizedJson(input, repeats);
    if (plain != null) {
      return plain;
    }
    StringWriter text = new StringWriter(128);
    try (JsonGenerator out = FACTORY.createGenerator(text)) {
      writeSanitized(out, input);
    } catch (IOException e) {
      // a StringWriter does not fail
      throw new UncheckedIOException("bug in kms-posture: could not write the request", e);
    }
    return text.toString();
  }

  /** {@link #sanitizedJson} when no text in it needs escaping; null otherwise. */
  static @Nullable String plainSanitizedJson(ObjectNode input) {
    return plainSanitizedJson(input, new RepeatedText());
  }

  private static @Nullable String plainSanitizedJson(ObjectNode input, RepeatedText repeats) {
    AsciiJson out = AsciiJson.begin();
    if (writeSanitized(out, input)) {
      return out.toText(repeats);
    }
    out.discard();
    return null;
  }

  private static boolean writeSanitized(AsciiJson out, ObjectNode input) {
    if (!out.startObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : input.properties()) {
      String member = e.getKey();
      if (SECRET.contains(member)) {
        continue;
      }
      if (!out.name(Request.field(member))) {
        return false;
      }
      if (!(MAPS.contains(member) ? out.value(e.getValue()) : writeStructure(out, e.getValue()))) {
        return false;
      }
    }
    out.endObject();
    return true;
  }

  private static boolean writeStructure(AsciiJson out, JsonNode node) {
    if (node instanceof ObjectNode object) {
      return writeSanitized(out, object);
    }
    if (node instanceof ArrayNode array) {
      if (!out.startArray()) {
        return false;
      }
      for (JsonNode item : array) {
        if (!writeStructure(out, item)) {
          return false;
        }
      }
      out.endArray();
      return true;
    }
    return out.value(node);
  }

  private static void writeSanitized(JsonGenerator out, ObjectNode input) throws IOException {
    out.writeStartObject();
    for (Map.Entry<String, JsonNode> e : input.properties()) {
      String member = e.getKey();
      if (SECRET.contains(member)) {
        continue;
      }
      out.writeFieldName(Request.field(member));
      if (MAPS.contains(member)) {
        writeNode(out, e.getValue());
      } else {
        writeStructure(out, e.getValue());
      }
    }
    out.writeEndObject();
  }

  private static void writeStructure(JsonGenerator out, JsonNode node) throws IOException {
    if (node instanceof ObjectNode object) {
      writeSanitized(out, object);
    } else if (node instanceof ArrayNode array) {
      out.writeStartArray();
      for (JsonNode item : array) {
        writeStructure(out, item);
      }
      out.writeEndArray();
    } else {
      writeNode(out, node);
    }
  }

  /** Writes {@code node} as {@link JsonNode#toString()} would (member names kept). */
  private static void writeNode(JsonGenerator out, JsonNode node) throws IOException {
    if (node instanceof TextNode text) {
      out.writeString(text.textValue());
    } else if (node instanceof ObjectNode object) {
      out.writeStartObject();
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        out.writeFieldName(e.getKey());
        writeNode(out, e.getValue());
      }
      out.writeEndObject();
    } else if (node instanceof ArrayNode array) {
      out.writeStartArray();
      for (JsonNode item : array) {
        writeNode(out, item);
      }
      out.writeEndArray();
    } else {
      MAPPER.writeTree(out, node);
    }
  }
}
