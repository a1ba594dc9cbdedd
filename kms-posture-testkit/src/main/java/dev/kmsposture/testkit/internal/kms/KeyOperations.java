package dev.kmsposture.testkit.internal.kms;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The key life-cycle: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion,
 * CancelKeyDeletion, UpdateKeyDescription, GetKeyLastUsage and DescribeCustomKeyStores (the
 * embedded KMS has no custom key stores).
 */
final class KeyOperations {
  private static final Pattern XKS_KEY_ID = Pattern.compile("^[a-zA-Z0-9-_.]+$");
  private static final List<String> CUSTOMER_MASTER_KEY_SPECS =
      List.of(
          "RSA_2048",
          "RSA_3072",
          "RSA_4096",
          "ECC_NIST_P256",
          "ECC_NIST_P384",
          "ECC_NIST_P521",
          "ECC_SECG_P256K1",
          "SYMMETRIC_DEFAULT",
          "HMAC_224",
          "HMAC_256",
          "HMAC_384",
          "HMAC_512",
          "SM2");

  private final KmsState state;
  private final AccessControl access;
  private final KeySupport keys;

  KeyOperations(KmsState state, AccessControl access, KeySupport keys) {
    this.state = state;
    this.access = access;
    this.keys = keys;
  }

  void register(Map<String, Operation> ops) {
    ops.put("CreateKey", this::createKey);
    ops.put("DescribeKey", this::describeKey);
    ops.put("ListKeys", this::listKeys);
    ops.put("EnableKey", c -> enableOrDisable(c, true));
    ops.put("DisableKey", c -> enableOrDisable(c, false));
    ops.put("ScheduleKeyDeletion", this::scheduleKeyDeletion);
    ops.put("CancelKeyDeletion", this::cancelKeyDeletion);
    ops.put("UpdateKeyDescription", this::updateKeyDescription);
    ops.put("GetKeyLastUsage", this::getKeyLastUsage);
    ops.put("DescribeCustomKeyStores", this::describeCustomKeyStores);
  }

  // ---- CreateKey ----

  private JsonNode createKey(KmsCall c) {
    Request in = c.in;
    String policyText = Support.policyParam(in);
    String description = in.optionalString("Description", 0, 8192);
    String usage = in.optionalEnum("KeyUsage", KeySpecs.USAGES);
    String cmkSpec = in.optionalEnum("CustomerMasterKeySpec", CUSTOMER_MASTER_KEY_SPECS);
    String keySpec = in.optionalEnum("KeySpec", KeySpecs.ALL);
    String origin = in.optionalEnum("Origin", KeySpecs.ORIGINS);
    String customKeyStoreId = in.optionalString("CustomKeyStoreId", 1, 64);
    boolean bypass = in.bool("BypassPolicyLockoutSafetyCheck");
    List<Map.Entry<String, String>> tagList = Support.tagsParam(in);
    boolean multiRegion = in.bool("MultiRegion");
    String xksKeyId = in.optionalString("XksKeyId", 1, 128, XKS_KEY_ID);
    in.throwIfInvalid();

    if (keySpec != null && cmkSpec != null && !keySpec.equals(cmkSpec)) {
      throw KmsErrors.validation(
          "You cannot specify KeySpec and CustomerMasterKeySpec with different values;"
              + " CustomerMasterKeySpec is deprecated, use KeySpec.");
    }
    String spec = keySpec != null ? keySpec : cmkSpec != null ? cmkSpec : "SYMMETRIC_DEFAULT";
    if (usage == null && !KeySpecs.isSymmetric(spec)) {
      // Recorded from AWS.
      throw KmsErrors.validation(
          "You must specify a KeyUsage value for all KMS keys except for symmetric encryption"
              + " keys.");
    }
    String keyUsage = usage == null ? "ENCRYPT_DECRYPT" : usage;
    if (!KeySpecs.usagesFor(spec).contains(keyUsage)) {
      // Recorded from AWS ("KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048").
      throw KmsErrors.validation(
          "KeyUsage " + keyUsage + " is not compatible with KeySpec " + spec);
    }
    String keyOrigin = origin == null ? "AWS_KMS" : origin;
    if (xksKeyId != null && !keyOrigin.equals("EXTERNAL_KEY_STORE")) {
      // API reference, CreateKey: XksKeyId "is required for a KMS key with an Origin value of
      // EXTERNAL_KEY_STORE. It is not valid for KMS keys with any other Origin value."
      throw KmsErrors.validation(
          "XksKeyId is valid only for KMS keys with an Origin value of EXTERNAL_KEY_STORE;"
              + " this request's Origin is "
              + keyOrigin
              + ".");
    }
    if (customKeyStoreId != null) {
      throw KmsErrors.customKeyStoreNotFound(customKeyStoreId);
    }
    if (keyOrigin.equals("AWS_CLOUDHSM") || keyOrigin.equals("EXTERNAL_KEY_STORE")) {
      throw KmsErrors.validation(
          "Origin "
              + keyOrigin
              + " requires a CustomKeyStoreId; the embedded KMS has no custom"
              + " key stores.");
    }
    keys.requireSupportedSpec(spec, c.region());
    Map<String, String> tags = Support.checkTags(tagList);

    return state.locked(
        c,
        () -> {
          Map<String, List<String>> ctx = Support.context();
          ctx.put("kms:KeySpec", List.of(spec));
          ctx.put("kms:KeyUsage", List.of(keyUsage));
          ctx.put("kms:KeyOrigin", List.of(keyOrigin));
          ctx.put("kms:MultiRegion", List.of(Boolean.toString(multiRegion)));
          if (multiRegion) {
            ctx.put("kms:MultiRegionKeyType", List.of("PRIMARY"));
          }
          ctx.put("kms:BypassPolicyLockoutSafetyCheck", List.of(Boolean.toString(bypass)));
          Support.putRequestTags(ctx, tags);
          access.authorizeIam(c, KmsAction.CREATE_KEY, "*", ctx);
          if (!tags.isEmpty()) {
            access.authorizeIam(c, KmsAction.TAG_RESOURCE, "*", ctx);
          }
          String account = c.account();
          String text =
              policyText == null ? KmsState.defaultPolicy(account, c.region()) : policyText;
          String keyId = multiRegion ? state.ids.mrkId() : state.ids.uuid();
          KeyPolicy policy =
              Support.checkPolicy(
                  text,
                  account,
                  KmsState.keyArn(account, c.region(), keyId),
                  c.principalArn(),
                  bypass);
          SharedKey shared =
              new SharedKey(keyId, spec, keyUsage, keyOrigin, "CUSTOMER", multiRegion, c.region());
          boolean external = keyOrigin.equals("EXTERNAL");
          if (!external) {
            shared.versions.add(state.newMaterial(shared, c.now()));
          }
          KmsKey key =
              keys.add(
                  AccountId.of(account),
                  c.region(),
                  shared,
                  c.now(),
                  external ? "PendingImport" : "Enabled",
                  description == null ? "" : description,
                  text,
                  policy);
          key.tags.putAll(tags);
          c.touched(key);
          ObjectNode out = Json.object();
          out.set("KeyMetadata", Render.keyMetadata(key));
          return out;
        });
  }

  // ---- DescribeKey ----

  private JsonNode describeKey(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    Support.checkGrantTokens(state, c.in);
    c.in.throwIfInvalid();
    Support.requireKnownTokens(state, c.in);
    return state.locked(
        c,
        () -> {
          createAwsManagedKeyFor(c, requireNonNull(keyId));
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY_OR_ALIAS, true);
          access.authorize(c, KmsAction.DESCRIBE_KEY, key, keys.context(c, keyId, key));
          ObjectNode out = Json.object();
          out.set("KeyMetadata", Render.keyMetadata(key));
          return out;
        });
  }

  /**
   * API reference, DescribeKey, KeyId: "If you specify a predefined AWS alias (an AWS alias with no
   * key ID), KMS associates the alias with an AWS managed key and returns its KeyId and Arn in the
   * response." When {@code keyId} names one of the predefined {@code alias/aws/*} aliases of the
   * caller's account and the request's Region (by name or alias ARN) and that alias has no key yet,
   * this creates the AWS managed key (symmetric, rotated every year, with a key policy of the form
   * AWS gives its managed keys) and points the alias at it. Runs under the lock.
   */
  private void createAwsManagedKeyFor(KmsCall c, String keyId) {
    String aliasName = keyId;
    if (keyId.startsWith("arn:")) {
      String ownArn = KmsState.aliasArn(c.account(), c.region(), "");
      if (!keyId.startsWith(ownArn)) {
        return;
      }
      aliasName = keyId.substring(ownArn.length());
    }
    if (!AliasOperations.PREDEFINED.contains(aliasName)) {
      return;
    }
    Realm realm = state.realm(c.account(), c.region());
    if (realm.aliases().containsKey(aliasName)) {
      return;
    }
    String service = aliasName.substring("alias/aws/".length());
    String account = c.account();
    String region = c.region();
    SharedKey shared =
        new SharedKey(
            state.ids.uuid(),
            "SYMMETRIC_DEFAULT",
            "ENCRYPT_DECRYPT",
            "AWS_KMS",
            "AWS",
            false,
            region);
    shared.versions.add(state.newMaterial(shared, c.now()));
    String text = awsManagedPolicy(account, region, service);
    KmsKey key =
        keys.add(
            AccountId.of(account),
            region,
            shared,
            c.now(),
            "Enabled",
            "Default key that protects my " + service + " resources when no other key is defined",
            text,
            KmsState.parsePolicy(text));
    // AWS managed keys rotate every year (EnableKeyRotation).
    shared.rotationEnabled = true;
    shared.rotationPeriodDays = 365;
    state.scheduleAutoRotation(shared, c.now().plus(Duration.ofDays(365)));
    realm.aliases().put(aliasName, new AliasRecord(aliasName, key.keyId(), c.now(), c.now()));
  }

  /**
   * The key policy of an AWS managed key, in the form AWS gives them (Developer Guide, "AWS managed
   * keys"): use through the service for principals of the account, and read access to the key's
   * metadata for the account.
   */
  private static String awsManagedPolicy(String account, String region, String service) {
    String via = (service.equals("ebs") ? "ec2" : service) + "." + region + ".amazonaws.com";
    return "{\n"
        + "  \"Version\" : \"2012-10-17\",\n"
        + "  \"Id\" : \"auto-"
        + service
        + "-1\",\n"
        + "  \"Statement\" : [ {\n"
        + "    \"Sid\" : \"Allow access through "
        + service
        + " for all principals in the account that are authorized to use "
        + service
        + "\",\n"
        + "    \"Effect\" : \"Allow\",\n"
        + "    \"Principal\" : {\n"
        + "      \"AWS\" : \"*\"\n"
        + "    },\n"
        + "    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\","
        + " \"kms:GenerateDataKey*\", \"kms:CreateGrant\", \"kms:DescribeKey\" ],\n"
        + "    \"Resource\" : \"*\",\n"
        + "    \"Condition\" : {\n"
        + "      \"StringEquals\" : {\n"
        + "        \"kms:CallerAccount\" : \""
        + account
        + "\",\n"
        + "        \"kms:ViaService\" : \""
        + via
        + "\"\n"
        + "      }\n"
        + "    }\n"
        + "  }, {\n"
        + "    \"Sid\" : \"Allow direct access to key metadata to the account\",\n"
        + "    \"Effect\" : \"Allow\",\n"
        + "    \"Principal\" : {\n"
        + "      \"AWS\" : \""
        + KmsState.rootArn(account, region)
        + "\"\n"
        + "    },\n"
        + "    \"Action\" : [ \"kms:Describe*\", \"kms:Get*\", \"kms:List*\","
        + " \"kms:RevokeGrant\" ],\n"
        + "    \"Resource\" : \"*\"\n"
        + "  } ]\n"
        + "}";
  }

  // ---- ListKeys ----

  private JsonNode listKeys(KmsCall c) {
    Pages.PageRequest page = Pages.read(c.in, 1000);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          access.authorizeIam(c, KmsAction.LIST_KEYS, "*", Map.of());
          Realm realm = state.realmIfPresent(c.account(), c.region());
          List<KmsKey> all = realm == null ? List.of() : new ArrayList<>(realm.keys().values());
          ObjectNode out = Json.object();
          List<KmsKey> items =
              Pages.page(
                  "ListKeys",
                  page,
                  all,
                  k -> Pages.seqKey(k.seq),
                  100,
                  state.config.maxPageSize(),
                  out);
          ArrayNode list = Json.array();
          for (KmsKey k : items) {
            ObjectNode e = Json.object();
            e.put("KeyId", k.keyId());
            e.put("KeyArn", k.arn);
            list.add(e);
          }
          ObjectNode body = Json.object();
          body.set("Keys", list);
          body.setAll(out);
          return body;
        });
  }

  // ---- EnableKey / DisableKey ----

  private JsonNode enableOrDisable(KmsCall c, boolean enable) {
    String keyId = Support.keyIdParam(c.in);
    c.in.throwIfInvalid();
    KmsAction action = enable ? KmsAction.ENABLE_KEY : KmsAction.DISABLE_KEY;
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, action, key, Map.of());
          Support.requireCustomerManaged(c, key, action);
          KeyStates.require(
              key, KeyStates.Use.ENABLE_DISABLE, state.config.pendingDeletionErrorCode());
          if (enable) {
            key.state = "Enabled";
            SharedKey shared = key.shared;
            if (key.isPrimary() && shared.rotationEnabled && shared.rotationDue) {
              // A rotation fell due while the key was disabled: KMS rotates on re-enable.
              state.rotate(shared, c.now(), "AUTOMATIC");
              shared.rotationAnchor = c.now();
              state.scheduleAutoRotation(
                  shared, c.now().plus(Duration.ofDays(shared.rotationPeriodDays)));
            }
          } else {
            key.state = "Disabled";
          }
          return Json.object();
        });
  }

  // ---- ScheduleKeyDeletion / CancelKeyDeletion ----

  private JsonNode scheduleKeyDeletion(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    // The model allows 1 to 365 days, but KMS (API reference and the
    // kms:ScheduleKeyDeletionPendingWindowInDays condition key) accepts 7 to 30.
    Integer window = c.in.optionalInt("PendingWindowInDays", 7, 30);
    c.in.throwIfInvalid();
    int days = window == null ? 30 : window;
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(
              c,
              KmsAction.SCHEDULE_KEY_DELETION,
              key,
              Map.of(
                  "kms:ScheduleKeyDeletionPendingWindowInDays", List.of(Integer.toString(days))));
          Support.requireCustomerManaged(c, key, KmsAction.SCHEDULE_KEY_DELETION);
          KeyStates.require(
              key, KeyStates.Use.SCHEDULE_DELETION, state.config.pendingDeletionErrorCode());
          key.pendingWindowDays = days;
          ObjectNode out = Json.object();
          out.put("KeyId", key.arn);
          if (key.isPrimary() && key.shared.members.size() > 1) {
            // A primary with replicas waits for them: no DeletionDate (API reference).
            key.state = "PendingReplicaDeletion";
            key.deletionDate = null;
          } else {
            key.state = "PendingDeletion";
            key.deletionDate = c.now().plus(Duration.ofDays(days));
            state.schedule(key.deletionDate, KmsState.Kind.DELETE_KEY, key, null);
            out.set("DeletionDate", Json.time(key.deletionDate));
          }
          out.put("KeyState", key.state);
          out.put("PendingWindowInDays", days);
          return out;
        });
  }

  private JsonNode cancelKeyDeletion(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.CANCEL_KEY_DELETION, key, Map.of());
          Support.requireCustomerManaged(c, key, KmsAction.CANCEL_KEY_DELETION);
          KeyStates.require(
              key, KeyStates.Use.CANCEL_DELETION, state.config.pendingDeletionErrorCode());
          // API reference: "When this operation succeeds, the key state of the KMS key is
          // Disabled." A key whose imported material was deleted or expired while it was pending
          // deletion has no material to use: it is PendingImport, the state of a key without its
          // imported material (Developer Guide, "Key states of AWS KMS keys").
          key.state = key.hasMaterial() ? "Disabled" : "PendingImport";
          key.deletionDate = null;
          key.pendingWindowDays = 0;
          ObjectNode out = Json.object();
          out.put("KeyId", key.arn);
          return out;
        });
  }

  // ---- UpdateKeyDescription ----

  private JsonNode updateKeyDescription(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    String description = c.in.requiredString("Description", 0, 8192);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.UPDATE_KEY_DESCRIPTION, key, Map.of());
          Support.requireCustomerManaged(c, key, KmsAction.UPDATE_KEY_DESCRIPTION);
          KeyStates.require(key, KeyStates.Use.MANAGE, state.config.pendingDeletionErrorCode());
          key.description = description == null ? "" : description;
          return Json.object();
        });
  }

  // ---- GetKeyLastUsage ----

  private JsonNode getKeyLastUsage(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.GET_KEY_LAST_USAGE, key, Map.of());
          ObjectNode out = Json.object();
          out.put("KeyId", key.arn);
          LastUsage usage = key.lastUsage.get();
          Instant tracking = keys.trackingStart();
          if (usage != null && !usage.timestamp().isBefore(tracking)) {
            ObjectNode u = Json.object();
            u.put("Operation", usage.operation());
            u.set("Timestamp", Json.time(usage.timestamp()));
            u.put("CloudTrailEventId", usage.cloudTrailEventId());
            u.put("KmsRequestId", usage.kmsRequestId());
            out.set("KeyLastUsage", u);
          }
          // The later of the tracking start and the key's creation (API reference).
          Instant start = tracking.isAfter(key.creationDate) ? tracking : key.creationDate;
          out.set("TrackingStartDate", Json.time(start));
          out.set("KeyCreationDate", Json.time(key.creationDate));
          return out;
        });
  }

  // ---- DescribeCustomKeyStores ----

  private JsonNode describeCustomKeyStores(KmsCall c) {
    String id = c.in.optionalString("CustomKeyStoreId", 1, 64);
    String name = c.in.optionalString("CustomKeyStoreName", 1, 256);
    Pages.read(c.in, 1000);
    c.in.throwIfInvalid();
    if (id != null) {
      throw KmsErrors.customKeyStoreNotFound(id);
    }
    if (name != null) {
      throw KmsErrors.customKeyStoreNotFound(name);
    }
    return state.locked(
        c,
        () -> {
          access.authorizeIam(c, KmsAction.DESCRIBE_CUSTOM_KEY_STORES, "*", Map.of());
          ObjectNode out = Json.object();
          out.set("CustomKeyStores", Json.array());
          out.put("Truncated", false);
          return out;
        });
  }
}
