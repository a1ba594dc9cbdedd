package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Rotation: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand and
 * ListKeyRotations.
 *
 * <p>Automatic rotation (period 90–2560 days, default 365) and on-demand rotation apply to
 * symmetric encryption keys with KMS-generated material; rotation is configured on a multi-Region
 * primary and shared by its replicas. GetKeyRotationStatus answers {@code KeyRotationEnabled=false}
 * for asymmetric and HMAC keys (as AWS now does) and {@code UnsupportedOperationException} for
 * imported material; a key pending deletion reports false, and its setting returns when the
 * deletion is cancelled. On-demand rotation is asynchronous (it completes after the configured
 * delay, at the next request at the earliest), limited per key (25 by default), and refused with
 * {@code ConflictException} while a rotation is in progress or an automatic one is due within 20
 * minutes. Old material is kept, so old ciphertexts still decrypt.
 */
final class RotationOperations {
  private static final Duration CONFLICT_WINDOW = Duration.ofMinutes(20);

  private final KmsState state;
  private final AccessControl access;

  RotationOperations(KmsState state, AccessControl access) {
    this.state = state;
    this.access = access;
  }

  void register(Map<String, Operation> ops) {
    ops.put("EnableKeyRotation", this::enableKeyRotation);
    ops.put("DisableKeyRotation", this::disableKeyRotation);
    ops.put("GetKeyRotationStatus", this::getKeyRotationStatus);
    ops.put("RotateKeyOnDemand", this::rotateKeyOnDemand);
    ops.put("ListKeyRotations", this::listKeyRotations);
  }

  /** Automatic rotation applies to symmetric keys with KMS-generated material, on the primary. */
  private static void requireAutomaticRotation(KmsKey key) {
    if (key.origin().equals("EXTERNAL")) {
      throw KmsErrors.originNotValid(key.arn, key.origin());
    }
    if (!KeySpecs.isRotatable(key.spec())) {
      throw KmsErrors.unsupported(
          key.arn + " key spec is " + key.spec() + " which is not valid for this operation.");
    }
    if (key.isReplica()) {
      throw KmsErrors.notMultiRegionPrimary(key.arn);
    }
  }

  private JsonNode enableKeyRotation(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    Integer period = c.in.optionalInt("RotationPeriodInDays", 90, 2560);
    c.in.throwIfInvalid();
    int days = period == null ? 365 : period;
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(
              c,
              KmsAction.ENABLE_KEY_ROTATION,
              key,
              Map.of("kms:RotationPeriodInDays", List.of(Integer.toString(days))));
          Support.requireCustomerManaged(c, key, KmsAction.ENABLE_KEY_ROTATION);
          requireAutomaticRotation(key);
          KeyStates.require(key, KeyStates.Use.ROTATION, state.config.pendingDeletionErrorCode());
          SharedKey shared = key.shared;
          Instant anchor;
          if (shared.rotationEnabled) {
            // A new period counts from the last automatic rotation (or from when rotation was
            // enabled); a date already past rotates at once.
            anchor = shared.rotationAnchor == null ? c.now() : shared.rotationAnchor;
          } else {
            anchor = c.now();
            shared.rotationAnchor = anchor;
          }
          shared.rotationEnabled = true;
          shared.rotationPeriodDays = days;
          Instant next = anchor.plus(Duration.ofDays(days));
          state.scheduleAutoRotation(shared, next.isBefore(c.now()) ? c.now() : next);
          return Json.object();
        });
  }

  private JsonNode disableKeyRotation(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.DISABLE_KEY_ROTATION, key, Map.of());
          Support.requireCustomerManaged(c, key, KmsAction.DISABLE_KEY_ROTATION);
          requireAutomaticRotation(key);
          KeyStates.require(key, KeyStates.Use.ROTATION, state.config.pendingDeletionErrorCode());
          SharedKey shared = key.shared;
          shared.rotationEnabled = false;
          shared.nextRotationDate = null;
          shared.rotationDue = false;
          shared.rotationAnchor = null;
          return Json.object();
        });
  }

  private JsonNode getKeyRotationStatus(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, true);
          access.authorize(c, KmsAction.GET_KEY_ROTATION_STATUS, key, Map.of());
          if (key.origin().equals("EXTERNAL")) {
            throw KmsErrors.originNotValid(key.arn, key.origin());
          }
          ObjectNode out = Json.object();
          SharedKey shared = key.shared;
          boolean enabled =
              KeySpecs.isRotatable(key.spec())
                  && !key.isPendingDeletion()
                  && (shared.rotationEnabled || shared.isAwsManaged());
          out.put("KeyRotationEnabled", enabled);
          out.put("KeyId", key.arn);
          if (enabled) {
            out.put("RotationPeriodInDays", shared.rotationPeriodDays);
            if (shared.nextRotationDate != null) {
              out.set("NextRotationDate", Json.time(shared.nextRotationDate));
            }
          }
          if (shared.onDemandStartDate != null) {
            out.set("OnDemandRotationStartDate", Json.time(shared.onDemandStartDate));
          }
          return out;
        });
  }

  private JsonNode rotateKeyOnDemand(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.ROTATE_KEY_ON_DEMAND, key, Map.of());
          Support.requireCustomerManaged(c, key, KmsAction.ROTATE_KEY_ON_DEMAND);
          // Recorded from AWS: the key state is checked before the key spec (a disabled RSA key
          // is DisabledException, not UnsupportedOperationException); so an imported key without
          // material is "is pending import.".
          KeyStates.require(key, KeyStates.Use.ROTATION, state.config.pendingDeletionErrorCode());
          if (!KeySpecs.isRotatable(key.spec())) {
            // Recorded from AWS: an empty message.
            throw AwsServiceError.client("UnsupportedOperationException", "");
          }
          if (key.origin().equals("EXTERNAL") && key.shared.pendingRotation == null) {
            // Recorded from AWS (before 2025). An imported key rotates into material imported
            // as NEW_KEY_MATERIAL; without such material, AWS's answer today is not known.
            throw KmsErrors.originNotValid(key.arn, key.origin());
          }
          if (key.isReplica()) {
            throw KmsErrors.notMultiRegionPrimary(key.arn);
          }
          SharedKey shared = key.shared;
          if (shared.onDemandStartDate != null
              || (shared.rotationEnabled
                  && shared.nextRotationDate != null
                  && !shared.nextRotationDate.isAfter(c.now().plus(CONFLICT_WINDOW)))) {
            throw KmsErrors.conflict(
                "An automatic or on-demand rotation of "
                    + key.arn
                    + " is in progress or scheduled to begin within the next 20 minutes.");
          }
          if (shared.onDemandCount >= state.config.onDemandRotationLimit()) {
            // Recorded from AWS.
            throw KmsErrors.limitExceeded(
                "The on-demand rotations limit has been reached for the given keyId. No more"
                    + " on-demand rotations can be performed for this key: "
                    + key.arn);
          }
          shared.onDemandCount++;
          shared.onDemandStartDate = c.now();
          Instant done = c.now().plus(state.config.onDemandRotationDelay());
          shared.onDemandCompleteAt = done;
          state.schedule(done, KmsState.Kind.ON_DEMAND_DONE, null, shared);
          ObjectNode out = Json.object();
          out.put("KeyId", key.arn);
          return out;
        });
  }

  private JsonNode listKeyRotations(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    String include =
        c.in.optionalEnum("IncludeKeyMaterial", List.of("ALL_KEY_MATERIAL", "ROTATIONS_ONLY"));
    Pages.PageRequest page = Pages.read(c.in, 1000);
    c.in.throwIfInvalid();
    boolean all = "ALL_KEY_MATERIAL".equals(include);
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.LIST_KEY_ROTATIONS, key, Map.of());
          if (!KeySpecs.isRotatable(key.spec())) {
            throw KmsErrors.unsupported(
                key.arn + " key spec is " + key.spec() + " which is not valid for this operation.");
          }
          SharedKey shared = key.shared;
          MaterialVersion current = shared.current();
          List<ObjectNode> entries = new ArrayList<>();
          int index = 0;
          if (all && !shared.versions.isEmpty()) {
            MaterialVersion initial = shared.versions.get(0);
            ObjectNode e = material(key, initial, current);
            e.put("_sort", Pages.seqKey(index++));
            entries.add(e);
          }
          for (RotationRecord r : shared.rotations) {
            MaterialVersion v = shared.version(r.materialId());
            ObjectNode e = v == null ? Json.object() : material(key, v, current);
            if (v == null) {
              e.put("KeyId", key.keyId());
              e.put("KeyMaterialId", r.materialId());
            }
            e.set("RotationDate", Json.time(r.date()));
            e.put("RotationType", r.type());
            e.put("_sort", Pages.seqKey(index++));
            entries.add(e);
          }
          MaterialVersion pending = shared.pendingRotation;
          if (all && pending != null) {
            ObjectNode e = Json.object();
            e.put("KeyId", key.keyId());
            e.put("KeyMaterialId", pending.materialId());
            putDescription(e, shared, pending.materialId());
            e.put("KeyMaterialState", "PENDING_ROTATION");
            e.put("ImportState", "IMPORTED");
            if (shared.pendingExpirationModel != null) {
              e.put("ExpirationModel", shared.pendingExpirationModel);
            }
            if (shared.pendingValidTo != null) {
              e.set("ValidTo", Json.time(shared.pendingValidTo));
            }
            e.put("_sort", Pages.seqKey(index++));
            entries.add(e);
          }
          ObjectNode paging = Json.object();
          List<ObjectNode> items =
              Pages.page(
                  "ListKeyRotations",
                  page,
                  entries,
                  e -> e.get("_sort").textValue(),
                  100,
                  state.config.maxPageSize(),
                  paging);
          ArrayNode list = Json.array();
          for (ObjectNode e : items) {
            ObjectNode copy = e.deepCopy();
            copy.remove("_sort");
            list.add(copy);
          }
          ObjectNode out = Json.object();
          out.set("Rotations", list);
          out.setAll(paging);
          return out;
        });
  }

  private static ObjectNode material(
      KmsKey key, MaterialVersion v, @Nullable MaterialVersion current) {
    ObjectNode e = Json.object();
    e.put("KeyId", key.keyId());
    e.put("KeyMaterialId", v.materialId());
    putDescription(e, key.shared, v.materialId());
    e.put("KeyMaterialState", v == current ? "CURRENT" : "NON_CURRENT");
    if (key.origin().equals("EXTERNAL")) {
      e.put("ImportState", key.materialImported ? "IMPORTED" : "PENDING_IMPORT");
      if (key.expirationModel != null) {
        e.put("ExpirationModel", key.expirationModel);
      }
      if (key.validTo != null) {
        e.set("ValidTo", Json.time(key.validTo));
      }
    }
    return e;
  }

  /** The KeyMaterialDescription given when the material was imported, if one was. */
  private static void putDescription(ObjectNode e, SharedKey shared, String materialId) {
    String description = shared.materialDescriptions.get(materialId);
    if (description != null) {
      e.put("KeyMaterialDescription", description);
    }
  }
}
