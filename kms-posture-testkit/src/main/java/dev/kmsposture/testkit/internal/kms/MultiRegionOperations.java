package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.testkit.kms.JournalEntry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Multi-Region keys: ReplicateKey and UpdatePrimaryRegion.
 *
 * <p>A replica has the primary's key id, material, spec, usage, origin and rotation, and its own
 * policy (the default key policy when none is given), description, tags, aliases, grants and key
 * state. It starts {@code Creating} and becomes {@code Enabled} (or {@code PendingImport} for
 * imported material) after the configured delay. There is at most one replica per Region. After
 * UpdatePrimaryRegion both keys are {@code Updating} for the configured delay: cryptographic
 * operations work, enabling, disabling, replicating and scheduling deletion do not. CloudTrail
 * records ReplicateKey in the primary's Region and CreateKey in the replica's, so the journal does
 * too.
 */
final class MultiRegionOperations {
  private static final Pattern REGION = Pattern.compile("^([a-z]+-){2,3}\\d+$");

  private final KmsState state;
  private final AccessControl access;
  private final KeySupport keys;

  MultiRegionOperations(KmsState state, AccessControl access, KeySupport keys) {
    this.state = state;
    this.access = access;
    this.keys = keys;
  }

  void register(Map<String, Operation> ops) {
    ops.put("ReplicateKey", this::replicateKey);
    ops.put("UpdatePrimaryRegion", this::updatePrimaryRegion);
  }

  private JsonNode replicateKey(KmsCall c) {
    Request in = c.in;
    String keyId = Support.keyIdParam(in);
    String region = in.requiredString("ReplicaRegion", 1, 32, REGION);
    String policyText = Support.policyParam(in);
    boolean bypass = in.bool("BypassPolicyLockoutSafetyCheck");
    String description = in.optionalString("Description", 0, 8192);
    List<Map.Entry<String, String>> tagList = Support.tagsParam(in);
    in.throwIfInvalid();
    String replicaRegion = Objects.requireNonNull(region);
    Map<String, String> tags = Support.checkTags(tagList);
    return state.locked(
        c,
        () -> {
          KmsKey primary =
              state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          Map<String, List<String>> ctx = Support.context();
          ctx.put("kms:ReplicaRegion", List.of(replicaRegion));
          access.authorize(c, KmsAction.REPLICATE_KEY, primary, ctx);
          if (!primary.shared.multiRegion || !primary.isPrimary()) {
            throw KmsErrors.notMultiRegionPrimary(primary.arn);
          }
          if (replicaRegion.equals(primary.region)) {
            throw KmsErrors.validation(
                "ReplicaRegion "
                    + replicaRegion
                    + " is the Region of the primary key "
                    + primary.arn
                    + "; a replica must be in another Region.");
          }
          if (!KmsState.partition(replicaRegion).equals(KmsState.partition(primary.region))) {
            throw KmsErrors.validation(
                "ReplicaRegion "
                    + replicaRegion
                    + " is in another partition than "
                    + primary.arn
                    + ".");
          }
          KeyStates.require(
              primary, KeyStates.Use.MULTI_REGION, state.config.pendingDeletionErrorCode());
          KmsKey existing = primary.shared.members.get(replicaRegion);
          if (existing != null) {
            throw KmsErrors.alreadyExists(
                "A replica of "
                    + primary.arn
                    + " already exists in "
                    + replicaRegion
                    + ": "
                    + existing.arn
                    + " ("
                    + existing.state
                    + ").");
          }
          Map<String, List<String>> createCtx = Support.context();
          createCtx.put("kms:MultiRegionKeyType", List.of("REPLICA"));
          Support.putRequestTags(createCtx, tags);
          access.authorizeIam(c, KmsAction.CREATE_KEY, "*", createCtx);
          if (!tags.isEmpty()) {
            access.authorizeIam(c, KmsAction.TAG_RESOURCE, "*", createCtx);
          }
          String account = primary.account.value();
          String text =
              policyText == null ? KmsState.defaultPolicy(account, replicaRegion) : policyText;
          KeyPolicy policy =
              Support.checkPolicy(
                  text,
                  account,
                  KmsState.keyArn(account, replicaRegion, primary.keyId()),
                  c.principalArn(),
                  bypass);
          boolean external = primary.origin().equals("EXTERNAL");
          KmsKey replica =
              keys.add(
                  primary.account,
                  replicaRegion,
                  primary.shared,
                  c.now(),
                  "Creating",
                  description == null ? "" : description,
                  text,
                  policy);
          replica.tags.putAll(tags);
          replica.stateAfterTransition = external ? "PendingImport" : "Enabled";
          replica.transitionAt = c.now().plus(state.config.replicaCreationDelay());
          state.schedule(replica.transitionAt, KmsState.Kind.TRANSITION_END, replica, null);
          recordReplicaCreation(c, replica);
          ObjectNode out = Json.object();
          out.set("ReplicaKeyMetadata", Render.keyMetadata(replica));
          out.put("ReplicaPolicy", text);
          if (!tags.isEmpty()) {
            ArrayNode list = Json.array();
            tags.forEach((k, v) -> list.add(Render.tag(k, v)));
            out.set("ReplicaTags", list);
          }
          return out;
        });
  }

  private void recordReplicaCreation(KmsCall c, KmsKey replica) {
    ObjectNode params = Json.object();
    params.put("keyUsage", replica.usage());
    params.put("keySpec", replica.spec());
    params.put("origin", replica.origin());
    params.put("multiRegion", true);
    params.put("multiRegionKeyType", "REPLICA");
    params.put("primaryKeyArn", Objects.requireNonNull(replica.shared.primary()).arn);
    state.journal.record(
        new JournalEntry(
            c.now(),
            state.ids.uuid(),
            c.call.requestId(),
            "AwsApiCall",
            "kms",
            "CreateKey",
            replica.region,
            c.call.caller(),
            List.of(replica.arn),
            null,
            false,
            "kms.amazonaws.com",
            "kms.amazonaws.com",
            params.toString()));
  }

  private JsonNode updatePrimaryRegion(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    String region = c.in.requiredString("PrimaryRegion", 1, 32, REGION);
    c.in.throwIfInvalid();
    String target = Objects.requireNonNull(region);
    return state.locked(
        c,
        () -> {
          KmsKey primary =
              state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          if (!primary.shared.multiRegion || !primary.isPrimary()) {
            throw KmsErrors.notMultiRegionPrimary(primary.arn);
          }
          if (target.equals(primary.region)) {
            throw KmsErrors.validation(
                primary.arn
                    + " is already the primary key; PrimaryRegion must name a Region that"
                    + " holds a replica.");
          }
          KmsKey replica = primary.shared.members.get(target);
          if (replica == null) {
            throw KmsErrors.keyNotFound(
                KmsState.keyArn(primary.account.value(), target, primary.keyId()));
          }
          c.touched(replica);
          Map<String, List<String>> ctx = Map.of("kms:PrimaryRegion", List.of(target));
          access.authorize(c, KmsAction.UPDATE_PRIMARY_REGION, primary, ctx);
          access.authorize(c, KmsAction.UPDATE_PRIMARY_REGION, replica, ctx);
          KeyStates.require(
              primary, KeyStates.Use.MULTI_REGION, state.config.pendingDeletionErrorCode());
          KeyStates.require(
              replica, KeyStates.Use.MULTI_REGION, state.config.pendingDeletionErrorCode());
          // Developer Guide, "Change the primary key in a set of multi-Region keys": "Both the
          // primary key and the replica key must be in the Enabled key state when the operation
          // starts." (ReplicateKey, which shares the state rule above, also takes a primary
          // waiting for its imported material.)
          for (KmsKey k : List.of(primary, replica)) {
            if (k.state.equals("PendingImport")) {
              throw KmsErrors.pendingImport(k.arn);
            }
          }
          primary.shared.primaryRegion = target;
          java.time.Instant done = c.now().plus(state.config.primaryRegionUpdateDelay());
          for (KmsKey k : List.of(primary, replica)) {
            k.stateAfterTransition = k.state;
            k.state = "Updating";
            k.transitionAt = done;
            state.schedule(done, KmsState.Kind.TRANSITION_END, k, null);
          }
          return Json.object();
        });
  }
}
