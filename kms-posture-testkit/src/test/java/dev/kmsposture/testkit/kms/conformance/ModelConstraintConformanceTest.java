package dev.kmsposture.testkit.kms.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.ExpirationModelType;
import software.amazon.awssdk.services.kms.model.IncludeKeyMaterial;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.RotationsListEntry;

/**
 * The KMS front end's model validation, checked against the KMS API model itself: every operation
 * and every top-level input member (with list members, tags and the external key store credential),
 * one violation at a time on an otherwise valid request, sent as raw JSON 1.1.
 *
 * <p>The constraints come from the test resource {@code kms-model/kms-input-constraints.json}, the
 * input shapes of botocore 1.43.11's KMS model; the expected answers are written from them in AWS's
 * format ({@code 1 validation error detected: Value 'x' at 'keyId' failed to satisfy constraint:
 * Member must have length less than or equal to 2048}; sensitive members and blobs without their
 * value; a member of the wrong JSON type is a {@code SerializationException}). Enum value sets are
 * read from the SDK's generated enums, whose model (SDK 2.57.8) is newer than botocore's and lists
 * the values AWS added since (ML-KEM key specs, Encapsulate …) in model order. Where AWS answers
 * otherwise than the model says, {@link #KEPT} holds the answer and why.
 */
class ModelConstraintConformanceTest extends ConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final JsonNode MODEL = load("/kms-model/kms-input-constraints.json");
  private static final JsonNode SHAPES = MODEL.get("shapes");

  /** Valid values of the patterned shapes, from which the violations are cut. */
  private static final Map<String, String> SAMPLES =
      Map.ofEntries(
          Map.entry("AliasNameType", "alias/app"),
          Map.entry("PrincipalIdType", "arn:aws:iam::123456789012:role/app"),
          Map.entry("GrantNameType", "name"),
          Map.entry("RegionType", "us-west-2"),
          Map.entry("PolicyNameType", "default"),
          Map.entry("PolicyType", "{}"),
          Map.entry("XksKeyIdType", "abc"),
          Map.entry("MarkerType", "m"),
          Map.entry("BackingKeyIdType", "a".repeat(64)),
          Map.entry("KeyMaterialDescriptionType", "desc"),
          Map.entry("CloudHsmClusterIdType", "cluster-234567abcdef"),
          Map.entry("XksProxyUriEndpointType", "https://example.com"),
          Map.entry("XksProxyUriPathType", "/kms/xks/v1"),
          Map.entry(
              "XksProxyVpcEndpointServiceNameType",
              "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789"),
          Map.entry("AccountIdType", "123456789012"),
          Map.entry("KeyIdType", "1234abcd-12ab-34cd-56ef-1234567890ab"));

  /** What pads a sample past its maximum length and still matches its pattern. */
  private static final Map<String, String> PADS =
      Map.of("CloudHsmClusterIdType", "a", "XksProxyUriPathType", "", "RegionType", "");

  /**
   * Members a request needs beyond the model's required ones to reach validation: without a
   * ciphertext Decrypt and ReEncrypt check that member first (the model made it optional for dry
   * runs with IGNORE_CIPHERTEXT only); GenerateRandom without NumberOfBytes is AWS's recorded
   * {@code NumberOfBytes is required.}.
   */
  private static final Map<String, List<String>> NEEDED =
      Map.of(
          "Decrypt", List.of("CiphertextBlob"),
          "ReEncrypt", List.of("CiphertextBlob"),
          "GenerateRandom", List.of("NumberOfBytes"));

  /**
   * Where AWS answers otherwise than the published model, keyed {@code Operation.Member.case}: the
   * expected message, and why.
   */
  private static final Map<String, Kept> KEPT =
      Map.ofEntries(
          // The model allows 1 to 365 days; the API reference and the
          // kms:ScheduleKeyDeletionPendingWindowInDays condition key say 7 to 30.
          kept(
              "ScheduleKeyDeletion.PendingWindowInDays.min",
              "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy"
                  + " constraint: Member must have value greater than or equal to 7"),
          kept(
              "ScheduleKeyDeletion.PendingWindowInDays.max",
              "1 validation error detected: Value '366' at 'pendingWindowInDays' failed to"
                  + " satisfy constraint: Member must have value less than or equal to 30"),
          // The model allows 1 to 1000; the API reference gives these operations 1 to 100 (1 to 50
          // for ListResourceTags).
          kept("ListAliases.Limit.max", limitMax(1001, 100)),
          kept("ListGrants.Limit.max", limitMax(1001, 100)),
          kept("ListRetirableGrants.Limit.max", limitMax(1001, 100)),
          kept("ListResourceTags.Limit.max", limitMax(1001, 50)),
          // The SDK's newer model adds GranteeServicePrincipal / RetiringServicePrincipal: one of
          // each pair is required, which the operation checks after the model.
          kept(
              "CreateGrant.GranteePrincipal.required",
              "Specify exactly one of GranteePrincipal and GranteeServicePrincipal."),
          kept(
              "ListRetirableGrants.RetiringPrincipal.required",
              "Specify exactly one of RetiringPrincipal and RetiringServicePrincipal."));

  private final List<AutoCloseable> servers = new ArrayList<>();
  private @Nullable URI endpoint;

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable s : servers) {
      s.close();
    }
  }

  // ---- the whole model ----

  @Test
  void everyInputConstraintOfTheModel_isAnsweredAsTheFrontEndAnswersIt() {
    List<String> differences = new ArrayList<>();
    int cases = 0;
    for (Map.Entry<String, JsonNode> op : MODEL.get("operations").properties()) {
      for (Case c : cases(op.getValue().asText())) {
        cases++;
        ObjectNode body = base(op.getKey());
        if (c.value() == null) {
          body.remove(c.member());
        } else {
          body.set(c.member(), c.value());
        }
        Answer got = send(op.getKey(), body);
        Kept kept = KEPT.get(op.getKey() + "." + c.member() + "." + c.label());
        String expected = kept != null ? kept.message() : c.expected();
        boolean same =
            expected == null
                ? got.status() == 400 && got.type().endsWith("SerializationException")
                : got.status() == 400
                    && got.type().equals("ValidationException")
                    && expected.equals(got.message());
        if (!same) {
          differences.add(
              op.getKey()
                  + "."
                  + c.member()
                  + " ["
                  + c.label()
                  + "]: expected "
                  + (expected == null ? "SerializationException" : expected)
                  + "\n    got "
                  + got);
        }
      }
    }
    assertThat(cases).as("cases sent").isGreaterThan(500);
    assertThat(differences).isEmpty();
  }

  // ---- the differences this audit found, one by one, written out ----

  @Test
  void aValueBreakingLengthAndPattern_isTwoErrors_lengthFirst() {
    Answer got = send("CreateAlias", object("AliasName", "", "TargetKeyId", "k"));

    assertThat(got.message())
        .isEqualTo(
            "2 validation errors detected: Value '' at 'aliasName' failed to satisfy constraint:"
                + " Member must have length greater than or equal to 1; Value '' at 'aliasName'"
                + " failed to satisfy constraint: Member must satisfy regular expression pattern:"
                + " ^[a-zA-Z0-9:/_-]+$");
  }

  @Test
  void aGrantTokenTooLong_isShownWithItsValue_asTheShapeIsNotSensitive() {
    ObjectNode body = object("KeyId", "k");
    body.set("GrantTokens", NODES.arrayNode().add(""));

    assertThat(send("DescribeKey", body).message())
        .isEqualTo(
            "1 validation error detected: Value '' at 'grantTokens.1.member' failed to satisfy"
                + " constraint: Member must have length greater than or equal to 1");
  }

  @Test
  void dryRunModifiers_areCheckedAgainstTheirEnum() {
    ObjectNode body = object("CiphertextBlob", "AQ==");
    body.set("DryRunModifiers", NODES.arrayNode().add("IGNORE_PLAINTEXT"));

    assertThat(send("Decrypt", body))
        .isEqualTo(
            new Answer(
                400,
                "ValidationException",
                "1 validation error detected: Value '[IGNORE_PLAINTEXT]' at 'dryRunModifiers'"
                    + " failed to satisfy constraint: Member must satisfy constraint: [Member must"
                    + " satisfy enum value set: [IGNORE_CIPHERTEXT]]"));
  }

  @Test
  void aDryRunIgnoringTheCiphertext_needsNoCiphertext_andChecksThePermissionOnTheKey() {
    String keyId = client().createKey().keyMetadata().keyId();
    ObjectNode body = object("KeyId", keyId);
    body.put("DryRun", true);
    body.set("DryRunModifiers", NODES.arrayNode().add("IGNORE_CIPHERTEXT"));

    assertThat(send("Decrypt", body))
        .isEqualTo(
            new Answer(
                400,
                "DryRunOperationException",
                "The request would have succeeded, but the DryRun option is set."));
    body.put("KeyId", "alias/missing");
    assertThat(send("Decrypt", body).type()).isEqualTo("NotFoundException");
    body.remove("KeyId");
    assertThat(send("Decrypt", body))
        .isEqualTo(
            new Answer(
                400,
                "ValidationException",
                "KeyId is required when DryRunModifiers includes IGNORE_CIPHERTEXT."));
    body.remove("DryRun");
    assertThat(send("Decrypt", body).message())
        .isEqualTo(
            "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy"
                + " constraint: Member must not be null");
  }

  @Test
  void reEncryptDryRunIgnoringTheCiphertext_checksBothKeys() {
    String keyId = client().createKey().keyMetadata().keyId();
    ObjectNode body = object("SourceKeyId", keyId, "DestinationKeyId", keyId);
    body.put("DryRun", true);
    body.set("DryRunModifiers", NODES.arrayNode().add("IGNORE_CIPHERTEXT"));

    assertThat(send("ReEncrypt", body).type()).isEqualTo("DryRunOperationException");
    body.put("DestinationKeyId", "alias/missing");
    assertThat(send("ReEncrypt", body).type()).isEqualTo("NotFoundException");
  }

  @Test
  void aRecipientOfTheWrongType_isASerializationException_andWithoutPlaintextHasNone() {
    String keyId = client().createKey().keyMetadata().keyId();
    ObjectNode body = object("KeyId", keyId, "KeySpec", "AES_256", "Recipient", "x");

    assertThat(send("GenerateDataKey", body).type()).isEqualTo("SerializationException");
    // GenerateDataKeyWithoutPlaintext has no Recipient in the model: AWS ignores the member
    assertThat(send("GenerateDataKeyWithoutPlaintext", body).status()).isEqualTo(200);
  }

  @Test
  void keyMaterialIdAndDescription_areCheckedAgainstTheirPatterns() {
    ObjectNode body =
        object(
            "KeyId", "k",
            "ImportToken", "AQ==",
            "EncryptedKeyMaterial", "AQ==",
            "KeyMaterialDescription", "no*stars",
            "KeyMaterialId", "A".repeat(64));

    assertThat(send("ImportKeyMaterial", body).message())
        .isEqualTo(
            "2 validation errors detected: Value 'no*stars' at 'keyMaterialDescription' failed to"
                + " satisfy constraint: Member must satisfy regular expression pattern:"
                + " ^[a-zA-Z0-9:/_\\s.-]+$; Value '"
                + "A".repeat(64)
                + "' at 'keyMaterialId' failed to satisfy constraint: Member must satisfy regular"
                + " expression pattern: ^[a-f0-9]+$");
  }

  @Test
  void customKeyStoreOperations_checkTheirMembers_thenFindNoStore() {
    assertThat(send("ConnectCustomKeyStore", object()).message())
        .isEqualTo(
            "1 validation error detected: Value null at 'customKeyStoreId' failed to satisfy"
                + " constraint: Member must not be null");
    assertThat(send("DeleteCustomKeyStore", object("CustomKeyStoreId", "cks-1234567890abcdef0")))
        .extracting(Answer::type)
        .isEqualTo("CustomKeyStoreNotFoundException");
    ObjectNode credential = object("AccessKeyId", "short", "RawSecretAccessKey", "s".repeat(43));
    ObjectNode create = object("CustomKeyStoreName", "store", "KeyStorePassword", "pass");
    create.set("XksProxyAuthenticationCredential", credential);
    assertThat(send("CreateCustomKeyStore", create).message())
        .isEqualTo(
            "3 validation errors detected: Value at 'keyStorePassword' failed to satisfy"
                + " constraint: Member must have length greater than or equal to 7; Value at"
                + " 'xksProxyAuthenticationCredential.accessKeyId' failed to satisfy constraint:"
                + " Member must have length greater than or equal to 20; Value at"
                + " 'xksProxyAuthenticationCredential.accessKeyId' failed to satisfy constraint:"
                + " Member must satisfy regular expression pattern: ^[A-Z2-7]+$");
    assertThat(send("CreateCustomKeyStore", object("CustomKeyStoreName", "store")).type())
        .isEqualTo("CloudHsmClusterNotFoundException");
  }

  @Test
  void listKeyRotations_answersTheKeyMaterialDescriptionGivenOnImport() throws Exception {
    KmsClient kms = client();
    String keyId = kms.createKey(b -> b.origin(OriginType.EXTERNAL)).keyMetadata().keyId();
    var params =
        kms.getParametersForImport(
            b ->
                b.keyId(keyId).wrappingAlgorithm("RSAES_OAEP_SHA_256").wrappingKeySpec("RSA_2048"));
    java.security.PublicKey wrapping =
        java.security.KeyFactory.getInstance("RSA")
            .generatePublic(
                new java.security.spec.X509EncodedKeySpec(params.publicKey().asByteArray()));
    javax.crypto.Cipher oaep = javax.crypto.Cipher.getInstance("RSA/ECB/OAEPPadding");
    oaep.init(
        javax.crypto.Cipher.ENCRYPT_MODE,
        wrapping,
        new javax.crypto.spec.OAEPParameterSpec(
            "SHA-256",
            "MGF1",
            java.security.spec.MGF1ParameterSpec.SHA256,
            javax.crypto.spec.PSource.PSpecified.DEFAULT));
    byte[] material = new byte[32];
    new java.security.SecureRandom().nextBytes(material);
    byte[] wrapped = oaep.doFinal(material);
    kms.importKeyMaterial(
        b ->
            b.keyId(keyId)
                .importToken(params.importToken())
                .encryptedKeyMaterial(software.amazon.awssdk.core.SdkBytes.fromByteArray(wrapped))
                .expirationModel(ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE)
                .keyMaterialDescription("first import"));

    List<RotationsListEntry> rotations =
        kms.listKeyRotations(
                b -> b.keyId(keyId).includeKeyMaterial(IncludeKeyMaterial.ALL_KEY_MATERIAL))
            .rotations();

    assertThat(rotations)
        .singleElement()
        .extracting(RotationsListEntry::keyMaterialDescription)
        .isEqualTo("first import");
  }

  // ---- cases from the model ----

  /** One violation: the member's value (null: left out), its label and the expected message. */
  private record Case(
      String member, String label, @Nullable JsonNode value, @Nullable String expected) {}

  /** AWS's answer where it differs from the published model (the reason is at the entry). */
  private record Kept(String message) {}

  private static Map.Entry<String, Kept> kept(String key, String message) {
    return Map.entry(key, new Kept(message));
  }

  private static String limitMax(int value, int max) {
    return "1 validation error detected: Value '"
        + value
        + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to "
        + max;
  }

  private static List<Case> cases(String inputShape) {
    JsonNode input = SHAPES.get(inputShape);
    Set<String> required = strings(input.get("required"));
    List<Case> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> m : input.get("members").properties()) {
      String member = m.getKey();
      String shapeName = m.getValue().asText();
      JsonNode shape = SHAPES.get(shapeName);
      String path = lowerCamel(member);
      if (required.contains(member)) {
        out.add(new Case(member, "required", null, notNull(path)));
      }
      out.add(new Case(member, "type", wrongType(shape), null));
      switch (shape.get("type").asText()) {
        case "string" -> {
          for (Map.Entry<String, String> v : stringViolations(shapeName).entrySet()) {
            out.add(
                new Case(
                    member,
                    v.getKey(),
                    NODES.textNode(v.getValue()),
                    message(broken(shapeName, v.getValue(), path))));
          }
        }
        case "blob" -> {
          if (shape.path("min").asInt(0) > 0) {
            out.add(new Case(member, "min", blob(0), message(broken(shapeName, 0, path))));
          }
          if (shape.has("max")) {
            int n = shape.get("max").asInt() + 1;
            out.add(new Case(member, "max", blob(n), message(broken(shapeName, n, path))));
          }
        }
        case "integer", "long" -> {
          if (shape.has("min")) {
            int v = shape.get("min").asInt() - 1;
            out.add(new Case(member, "min", NODES.numberNode(v), message(range(v, shape, path))));
          }
          if (shape.has("max")) {
            int v = shape.get("max").asInt() + 1;
            out.add(new Case(member, "max", NODES.numberNode(v), message(range(v, shape, path))));
          }
        }
        case "list" -> out.addAll(listCases(member, shape, path));
        default -> {
          // maps, structures, booleans and timestamps: their type only
        }
      }
    }
    return out;
  }

  private static List<Case> listCases(String member, JsonNode shape, String path) {
    List<Case> out = new ArrayList<>();
    if (shape.has("max")) {
      int n = shape.get("max").asInt() + 1;
      ArrayNode items = NODES.arrayNode();
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        items.add("t");
        shown.add("t");
      }
      out.add(
          new Case(
              member,
              "max",
              items,
              message(
                  List.of(
                      "Value '"
                          + shown
                          + "' at '"
                          + path
                          + "' failed to satisfy constraint: Member must have length less than"
                          + " or equal to "
                          + (n - 1)))));
    }
    String itemShape = shape.get("member").asText();
    JsonNode item = SHAPES.get(itemShape);
    if (item.has("enum")) {
      out.add(
          new Case(
              member,
              "member-enum",
              NODES.arrayNode().add("NOT_A_MODEL_VALUE"),
              message(
                  List.of(
                      "Value '[NOT_A_MODEL_VALUE]' at '"
                          + path
                          + "' failed to satisfy constraint: Member must satisfy constraint:"
                          + " [Member must satisfy enum value set: "
                          + enumValues(itemShape)
                          + "]"))));
    } else if (item.get("type").asText().equals("string")) {
      for (Map.Entry<String, String> v : stringViolations(itemShape).entrySet()) {
        out.add(
            new Case(
                member,
                "member-" + v.getKey(),
                NODES.arrayNode().add(v.getValue()),
                message(broken(itemShape, v.getValue(), path + ".1.member"))));
      }
    } else if (item.get("type").asText().equals("structure")) {
      // tags: each member of the first tag
      for (String field : List.of("TagKey", "TagValue")) {
        if (!item.get("members").has(field)) {
          continue;
        }
        String fieldShape = item.get("members").get(field).asText();
        String fieldPath = path + ".1.member." + lowerCamel(field);
        for (Map.Entry<String, String> v : stringViolations(fieldShape).entrySet()) {
          ObjectNode tag = object("TagKey", "k", "TagValue", "v");
          tag.put(field, v.getValue());
          out.add(
              new Case(
                  member,
                  field + "-" + v.getKey(),
                  NODES.arrayNode().add(tag),
                  message(broken(fieldShape, v.getValue(), fieldPath))));
        }
        ObjectNode tag = object("TagKey", "k", "TagValue", "v");
        tag.remove(field);
        out.add(
            new Case(member, field + "-required", NODES.arrayNode().add(tag), notNull(fieldPath)));
      }
    }
    return out;
  }

  /** Values of a string shape that break one constraint each (and what else they break). */
  private static Map<String, String> stringViolations(String shapeName) {
    JsonNode shape = SHAPES.get(shapeName);
    Map<String, String> out = new LinkedHashMap<>();
    if (shape.has("enum")) {
      out.put("enum", "NOT_A_MODEL_VALUE");
      return out;
    }
    int min = shape.path("min").asInt(0);
    String sample = SAMPLES.getOrDefault(shapeName, "a".repeat(Math.max(1, min)));
    if (min > 0) {
      out.put("min", sample.substring(0, min - 1));
    }
    if (shape.has("max")) {
      int max = shape.get("max").asInt();
      String pad = PADS.getOrDefault(shapeName, sample.substring(sample.length() - 1));
      if (!pad.isEmpty()) {
        out.put("max", sample + pad.repeat(max + 1 - sample.length()));
      }
    }
    if (shape.has("pattern")) {
      Pattern pattern = Pattern.compile(shape.get("pattern").asText());
      for (String bad : List.of("!", "\u0100", "A")) {
        String value = bad.repeat(Math.max(1, min));
        if (!pattern.matcher(value).matches()) {
          out.put("pattern", value);
          break;
        }
      }
    }
    return out;
  }

  /** The constraints of a string shape that {@code value} breaks, in AWS's words. */
  private static List<String> broken(String shapeName, String value, String path) {
    JsonNode shape = SHAPES.get(shapeName);
    String shown = shape.path("sensitive").asBoolean(false) ? "Value" : "Value '" + value + "'";
    List<String> out = new ArrayList<>(length(shape, value.length(), shown, path));
    if (shape.has("pattern")
        && !Pattern.compile(shape.get("pattern").asText()).matcher(value).matches()) {
      out.add(
          shown
              + " at '"
              + path
              + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
              + shape.get("pattern").asText());
    }
    if (shape.has("enum") && !strings(shape.get("enum")).contains(value)) {
      out.add(
          shown
              + " at '"
              + path
              + "' failed to satisfy constraint: Member must satisfy enum value set: "
              + enumValues(shapeName));
    }
    return out;
  }

  /** A blob of {@code length} bytes: never shown. */
  private static List<String> broken(String shapeName, int length, String path) {
    return length(SHAPES.get(shapeName), length, "Value", path);
  }

  private static List<String> length(JsonNode shape, int length, String shown, String path) {
    if (shape.has("min") && length < shape.get("min").asInt()) {
      return List.of(
          shown
              + " at '"
              + path
              + "' failed to satisfy constraint: Member must have length greater than or equal to "
              + shape.get("min").asInt());
    }
    if (shape.has("max") && length > shape.get("max").asInt()) {
      return List.of(
          shown
              + " at '"
              + path
              + "' failed to satisfy constraint: Member must have length less than or equal to "
              + shape.get("max").asInt());
    }
    return List.of();
  }

  private static List<String> range(int value, JsonNode shape, String path) {
    String head = "Value '" + value + "' at '" + path + "' failed to satisfy constraint: ";
    return value < shape.get("min").asInt()
        ? List.of(head + "Member must have value greater than or equal to " + shape.get("min"))
        : List.of(head + "Member must have value less than or equal to " + shape.get("max"));
  }

  /**
   * The value set AWS lists for an enum shape: the SDK's generated enum (a newer model than
   * botocore's, in model order), except MacAlgorithmSpec, whose order is recorded from AWS.
   */
  private static List<String> enumValues(String shapeName) {
    if (shapeName.equals("MacAlgorithmSpec")) {
      return List.of("HMAC_SHA_384", "HMAC_SHA_256", "HMAC_SHA_224", "HMAC_SHA_512");
    }
    List<String> fromModel = new ArrayList<>(strings(SHAPES.get(shapeName).get("enum")));
    try {
      Class<?> type = Class.forName("software.amazon.awssdk.services.kms.model." + shapeName);
      Set<?> known = (Set<?>) type.getMethod("knownValues").invoke(null);
      List<String> sdk = known.stream().map(Object::toString).toList();
      assertThat(sdk).as("SDK values of %s", shapeName).containsAll(fromModel);
      return sdk;
    } catch (ReflectiveOperationException e) {
      return fromModel; // no SDK enum of that name: the model's own list
    }
  }

  private static @Nullable String message(List<String> problems) {
    if (problems.isEmpty()) {
      return null;
    }
    int n = problems.size();
    return n
        + (n == 1 ? " validation error detected: " : " validation errors detected: ")
        + String.join("; ", problems);
  }

  private static String notNull(String path) {
    return "1 validation error detected: Value null at '"
        + path
        + "' failed to satisfy constraint: Member must not be null";
  }

  private static JsonNode wrongType(JsonNode shape) {
    return switch (shape.get("type").asText()) {
      case "string", "blob" -> NODES.numberNode(12);
      default -> NODES.textNode("x");
    };
  }

  /** A request of {@code op} with a valid value for each member it needs. */
  private static ObjectNode base(String op) {
    JsonNode input = SHAPES.get(MODEL.get("operations").get(op).asText());
    ObjectNode body = NODES.objectNode();
    List<String> members = new ArrayList<>(strings(input.get("required")));
    members.addAll(NEEDED.getOrDefault(op, List.of()));
    for (String member : members) {
      body.set(member, valid(input.get("members").get(member).asText()));
    }
    return body;
  }

  private static JsonNode valid(String shapeName) {
    JsonNode shape = SHAPES.get(shapeName);
    return switch (shape.get("type").asText()) {
      case "string" ->
          NODES.textNode(
              shape.has("enum")
                  ? shape.get("enum").get(0).asText()
                  : SAMPLES.getOrDefault(
                      shapeName, "a".repeat(Math.max(1, shape.path("min").asInt(0)))));
      case "blob" -> blob(Math.max(1, shape.path("min").asInt(0)));
      case "integer", "long" -> NODES.numberNode(Math.max(1, shape.path("min").asInt(1)));
      case "boolean" -> NODES.booleanNode(false);
      case "list" -> NODES.arrayNode().add(valid(shape.get("member").asText()));
      case "structure" -> {
        ObjectNode o = NODES.objectNode();
        for (String r : strings(shape.get("required"))) {
          o.set(r, valid(shape.get("members").get(r).asText()));
        }
        yield o;
      }
      default -> NODES.objectNode();
    };
  }

  private static JsonNode blob(int length) {
    return NODES.textNode(Base64.getEncoder().encodeToString(new byte[length]));
  }

  private static ObjectNode object(String... keyValues) {
    ObjectNode o = NODES.objectNode();
    for (int i = 0; i < keyValues.length; i += 2) {
      o.put(keyValues[i], keyValues[i + 1]);
    }
    return o;
  }

  private static Set<String> strings(@Nullable JsonNode array) {
    Set<String> out = new java.util.LinkedHashSet<>();
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static String lowerCamel(String member) {
    return Character.toLowerCase(member.charAt(0)) + member.substring(1);
  }

  private static JsonNode load(String resource) {
    try (InputStream in =
        Objects.requireNonNull(
            ModelConstraintConformanceTest.class.getResourceAsStream(resource), resource)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- raw JSON 1.1 over this test's transport ----

  /** What the KMS answered: HTTP status, {@code __type} and message. */
  record Answer(int status, String type, @Nullable String message) {}

  private Answer send(String op, JsonNode body) {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    String auth =
        "AWS4-HMAC-SHA256 Credential="
            + LocalKms.DEFAULT_ACCESS_KEY_ID
            + "/20260301/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target,"
            + " Signature=0000000000000000000000000000000000000000000000000000000000000000";
    try {
      if (transport == KmsTransport.HTTP) {
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(server().resolve("/"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "TrentService." + op)
                        .header("X-Amz-Date", "20260301T100000Z")
                        .header("Authorization", auth)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        return answer(r.statusCode(), r.body());
      }
      SdkHttpClient http = kms().httpClient();
      SdkHttpFullRequest request =
          SdkHttpFullRequest.builder()
              .method(SdkHttpMethod.POST)
              .uri(URI.create("http://127.0.0.1/"))
              .putHeader("Content-Type", "application/x-amz-json-1.1")
              .putHeader("X-Amz-Target", "TrentService." + op)
              .putHeader("X-Amz-Date", "20260301T100000Z")
              .putHeader("Authorization", auth)
              .build();
      HttpExecuteResponse r =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(request)
                      .contentStreamProvider(ContentStreamProvider.fromByteArray(bytes))
                      .build())
              .call();
      String text;
      if (r.responseBody().isPresent()) {
        try (InputStream in = r.responseBody().get()) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else {
        text = "";
      }
      return answer(r.httpResponse().statusCode(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI server() {
    URI known = endpoint;
    if (known == null) {
      LocalKmsServer server = LocalKmsServer.start(kms());
      servers.add(server);
      known = server.endpoint();
      endpoint = known;
    }
    return known;
  }

  private static Answer answer(int status, String text) throws IOException {
    JsonNode body = text.isEmpty() ? NODES.objectNode() : JSON.readTree(text);
    JsonNode message = body.has("message") ? body.get("message") : body.get("Message");
    return new Answer(
        status,
        body.path("__type").asText(""),
        message == null || message.isNull() ? null : message.asText());
  }
}
