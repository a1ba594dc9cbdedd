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
import java.util.Iterator;
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
  // the entries share one copy of the text, written once for a run of such calls
  private final Parameters parameters = new Parameters();

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
            c.keyArns(),
            errorCode,
            READ_ONLY.contains(c.operation()),
            c.call.userAgent(),
            c.call.sourceIpAddress(),
            parameters.of(c.call.input())));
  }

  /**
   * The logged request parameters of successive calls: when a call logs the same members as the
   * call before it (same names, same values, in the same order; its secrets may differ), the text
   * written for that call is handed out again without writing it. Thread-safe.
   */
  static final class Parameters {
    private final RepeatedText repeats = new RepeatedText();
    private volatile @Nullable Written last;

    /**
     * The members one call logged and their text. The values are copies, so that nothing that later
     * changes the request's tree changes them; secrets are never among them.
     */
    private static final class Written {
      final String[] names;
      final JsonNode[] values;
      final String json;

      private Written(String[] names, JsonNode[] values, String json) {
        this.names = names;
        this.values = values;
        this.json = json;
      }

      /**
       * The members {@code input} logs, or null when one of them is a structure (not a map): a
       * structure's own secret members are left out of the text, and must not be kept here.
       */
      static @Nullable Written of(ObjectNode input, String json) {
        int logged = 0;
        for (Map.Entry<String, JsonNode> e : input.properties()) {
          if (!SECRET.contains(e.getKey())) {
            if (e.getValue().isContainerNode() && !MAPS.contains(e.getKey())) {
              return null;
            }
            logged++;
          }
        }
        String[] names = new String[logged];
        JsonNode[] values = new JsonNode[logged];
        int i = 0;
        for (Map.Entry<String, JsonNode> e : input.properties()) {
          if (!SECRET.contains(e.getKey())) {
            names[i] = e.getKey();
            values[i] = e.getValue().deepCopy();
            i++;
          }
        }
        return new Written(names, values, json);
      }

      /** Whether {@code input} logs exactly these members, in this order. */
      boolean loggedBy(ObjectNode input) {
        int i = 0;
        for (Map.Entry<String, JsonNode> e : input.properties()) {
          String name = e.getKey();
          if (SECRET.contains(name)) {
            continue;
          }
          if (i == names.length || !name.equals(names[i]) || !same(values[i], e.getValue())) {
            return false;
          }
          i++;
        }
        return i == names.length;
      }
    }

    /** {@link JournalWriter#sanitizedJson(ObjectNode)} of {@code input}. */
    String of(ObjectNode input) {
      Written written = last;
      if (written != null && written.loggedBy(input)) {
        return written.json;
      }
      String json = sanitizedJson(input, repeats);
      last = Written.of(input, json);
      return json;
    }

    /**
     * Whether {@code a} and {@code b} are written as the same text: equal values of the same kind,
     * objects with the same members in the same order (JsonNode.equals ignores the order).
     */
    private static boolean same(JsonNode a, JsonNode b) {
      if (a instanceof ObjectNode x) {
        if (!(b instanceof ObjectNode y) || x.size() != y.size()) {
          return false;
        }
        Iterator<Map.Entry<String, JsonNode>> other = y.properties().iterator();
        for (Map.Entry<String, JsonNode> e : x.properties()) {
          Map.Entry<String, JsonNode> f = other.next();
          if (!e.getKey().equals(f.getKey()) || !same(e.getValue(), f.getValue())) {
            return false;
          }
        }
        return true;
      }
      if (a instanceof ArrayNode x) {
        if (!(b instanceof ArrayNode y) || x.size() != y.size()) {
          return false;
        }
        for (int i = 0; i < x.size(); i++) {
          if (!same(x.get(i), y.get(i))) {
            return false;
          }
        }
        return true;
      }
      return !b.isContainerNode() && a.getClass() == b.getClass() && a.equals(b);
    }
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
