package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * CreateCustomKeyStore, ConnectCustomKeyStore, DisconnectCustomKeyStore, DeleteCustomKeyStore and
 * UpdateCustomKeyStore. The embedded KMS has no custom key stores, no AWS CloudHSM clusters and no
 * external key store proxies; these operations check their members against the model first, as
 * AWS's front end does, and then answer with the model's errors for what is not there:
 * CustomKeyStoreNotFoundException for a store id, CloudHsmClusterNotFoundException or
 * XksProxyUriUnreachableException for a new store (DescribeCustomKeyStores is in KeyOperations).
 */
final class CustomKeyStoreOperations {
  /** A string member of the model: length limits, pattern, sensitivity. */
  private record Member(
      String name, int min, int max, @Nullable Pattern pattern, boolean sensitive) {}

  // the model's shapes (KMS API model, as botocore 1.43.11 ships it)
  private static final Member CLUSTER_ID =
      new Member("CloudHsmClusterId", 19, 24, Pattern.compile("cluster-[2-7a-zA-Z]{11,16}"), false);
  private static final Member PASSWORD = new Member("KeyStorePassword", 7, 32, null, true);
  private static final Member URI_ENDPOINT =
      new Member(
          "XksProxyUriEndpoint", 10, 128, Pattern.compile("^https://[a-zA-Z0-9.-]+$"), false);
  private static final Member URI_PATH =
      new Member(
          "XksProxyUriPath",
          10,
          128,
          Pattern.compile("^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$"),
          false);
  private static final Member VPC_SERVICE_NAME =
      new Member(
          "XksProxyVpcEndpointServiceName",
          20,
          64,
          Pattern.compile(
              "^(com|eu)\\.amazonaws\\.vpce\\.([a-z]+-){2,3}\\d+\\.vpce-svc-[0-9a-z]+$"),
          false);
  private static final Member VPC_SERVICE_OWNER =
      new Member("XksProxyVpcEndpointServiceOwner", 12, 12, Pattern.compile("[0-9]{12}"), false);
  private static final Member ACCESS_KEY_ID =
      new Member("AccessKeyId", 20, 30, Pattern.compile("^[A-Z2-7]+$"), true);
  private static final Member SECRET =
      new Member("RawSecretAccessKey", 43, 64, Pattern.compile("^[a-zA-Z0-9\\/+=]+$"), true);
  private static final List<String> STORE_TYPES = List.of("AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
  private static final List<String> CONNECTIVITY =
      List.of("PUBLIC_ENDPOINT", "VPC_ENDPOINT_SERVICE");

  private final KmsState state;
  private final AccessControl access;

  CustomKeyStoreOperations(KmsState state, AccessControl access) {
    this.state = state;
    this.access = access;
  }

  void register(Map<String, Operation> ops) {
    ops.put("CreateCustomKeyStore", this::createCustomKeyStore);
    ops.put("ConnectCustomKeyStore", c -> byStoreId(c, KmsAction.CONNECT_CUSTOM_KEY_STORE, false));
    ops.put(
        "DisconnectCustomKeyStore",
        c -> byStoreId(c, KmsAction.DISCONNECT_CUSTOM_KEY_STORE, false));
    ops.put("DeleteCustomKeyStore", c -> byStoreId(c, KmsAction.DELETE_CUSTOM_KEY_STORE, false));
    ops.put("UpdateCustomKeyStore", c -> byStoreId(c, KmsAction.UPDATE_CUSTOM_KEY_STORE, true));
  }

  private JsonNode createCustomKeyStore(KmsCall c) {
    Request in = c.in;
    in.requiredString("CustomKeyStoreName", 1, 256);
    read(in, in.body(), "", CLUSTER_ID);
    in.optionalString("TrustAnchorCertificate", 1, 5000);
    read(in, in.body(), "", PASSWORD);
    String type = in.optionalEnum("CustomKeyStoreType", STORE_TYPES);
    readProxyMembers(in);
    in.throwIfInvalid();
    authorize(c, KmsAction.CREATE_CUSTOM_KEY_STORE);
    if ("EXTERNAL_KEY_STORE".equals(type)) {
      throw AwsServiceError.client(
          "XksProxyUriUnreachableException",
          "KMS cannot reach the external key store proxy; the embedded KMS does not connect to"
              + " external key store proxies.");
    }
    throw AwsServiceError.client(
        "CloudHsmClusterNotFoundException",
        "AWS CloudHSM cannot find the specified cluster; the embedded KMS has no AWS CloudHSM"
            + " clusters.");
  }

  private JsonNode byStoreId(KmsCall c, KmsAction action, boolean update) {
    Request in = c.in;
    String id = in.requiredString("CustomKeyStoreId", 1, 64);
    if (update) {
      in.optionalString("NewCustomKeyStoreName", 1, 256);
      read(in, in.body(), "", PASSWORD);
      read(in, in.body(), "", CLUSTER_ID);
      readProxyMembers(in);
    }
    in.throwIfInvalid();
    authorize(c, action);
    throw KmsErrors.customKeyStoreNotFound(Objects.requireNonNull(id));
  }

  /** The external key store proxy's members, in the model's order. */
  private static void readProxyMembers(Request in) {
    read(in, in.body(), "", URI_ENDPOINT);
    read(in, in.body(), "", URI_PATH);
    read(in, in.body(), "", VPC_SERVICE_NAME);
    read(in, in.body(), "", VPC_SERVICE_OWNER);
    ObjectNode credential = in.object("XksProxyAuthenticationCredential");
    if (credential != null) {
      String prefix = Request.field("XksProxyAuthenticationCredential") + ".";
      for (Member m : List.of(ACCESS_KEY_ID, SECRET)) {
        if (stringOf(credential, m.name()) == null) {
          in.problem(
              "Value null at '"
                  + prefix
                  + Request.field(m.name())
                  + "' failed to satisfy constraint: Member must not be null");
        } else {
          read(in, credential, prefix, m);
        }
      }
    }
    in.optionalEnum("XksProxyConnectivity", CONNECTIVITY);
  }

  /** Checks an optional string member of {@code node} (at {@code prefix}) against its shape. */
  private static void read(Request in, ObjectNode node, String prefix, Member m) {
    String value = stringOf(node, m.name());
    if (value == null) {
      return;
    }
    String path = prefix + Request.field(m.name());
    in.checkLength(path, value, m.min(), m.max(), !m.sensitive());
    Pattern pattern = m.pattern();
    if (pattern != null) {
      in.checkPattern(path, value, pattern, !m.sensitive());
    }
  }

  private static @Nullable String stringOf(ObjectNode node, String member) {
    JsonNode v = node.get(member);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw KmsErrors.serialization(
          "Unexpected value for " + member + ": expected a string, found " + v.getNodeType());
    }
    return v.textValue();
  }

  private void authorize(KmsCall c, KmsAction action) {
    state.locked(
        c,
        () -> {
          access.authorizeIam(c, action, "*", Map.of());
          return null;
        });
  }
}
