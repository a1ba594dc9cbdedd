package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Tags: TagResource, UntagResource and ListResourceTags.
 *
 * <p>At most 50 tags per key; keys of 1–128 and values of 0–256 characters (over the limit is a
 * {@code ValidationException}); the {@code aws:} prefix in any letter case is reserved ({@code
 * TagException}); tagging a key pending deletion is {@code KMSInvalidStateException}. Re-tagging a
 * key replaces its value.
 */
final class TagOperations {
  private final KmsState state;
  private final AccessControl access;

  TagOperations(KmsState state, AccessControl access) {
    this.state = state;
    this.access = access;
  }

  void register(Map<String, Operation> ops) {
    ops.put("TagResource", this::tagResource);
    ops.put("UntagResource", this::untagResource);
    ops.put("ListResourceTags", this::listResourceTags);
  }

  private JsonNode tagResource(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    if (!c.in.has("Tags")) {
      c.in.problem("Value null at 'tags' failed to satisfy constraint: Member must not be null");
    }
    List<Map.Entry<String, String>> tagList = Support.tagsParam(c.in);
    c.in.throwIfInvalid();
    Map<String, String> tags = Support.checkTags(tagList);
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          Map<String, List<String>> ctx = Support.context();
          Support.putRequestTags(ctx, tags);
          access.authorize(c, KmsAction.TAG_RESOURCE, key, ctx);
          Support.requireCustomerManaged(c, key, KmsAction.TAG_RESOURCE);
          KeyStates.require(key, KeyStates.Use.MANAGE, state.config.pendingDeletionErrorCode());
          TreeMap<String, String> merged = new TreeMap<>(key.tags);
          merged.putAll(tags);
          if (merged.size() > Support.MAX_TAGS) {
            throw KmsErrors.limitExceeded(
                "Key "
                    + key.arn
                    + " would have "
                    + merged.size()
                    + " tags; a key can have at most "
                    + Support.MAX_TAGS
                    + ".");
          }
          key.tags.putAll(tags);
          key.evaluator = null;
          return Json.object();
        });
  }

  private JsonNode untagResource(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    if (!c.in.has("TagKeys")) {
      c.in.problem("Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
    }
    List<String> tagKeys = c.in.stringList("TagKeys");
    for (int i = 0; i < tagKeys.size(); i++) {
      c.in.checkLength("tagKeys." + (i + 1) + ".member", tagKeys.get(i), 1, 128, true);
    }
    c.in.throwIfInvalid();
    tagKeys.forEach(Support::checkNotReserved);
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          Map<String, List<String>> ctx = Support.context();
          if (!tagKeys.isEmpty()) {
            ctx.put("aws:TagKeys", List.copyOf(tagKeys));
          }
          access.authorize(c, KmsAction.UNTAG_RESOURCE, key, ctx);
          Support.requireCustomerManaged(c, key, KmsAction.UNTAG_RESOURCE);
          KeyStates.require(key, KeyStates.Use.MANAGE, state.config.pendingDeletionErrorCode());
          tagKeys.forEach(key.tags::remove);
          key.evaluator = null;
          return Json.object();
        });
  }

  private JsonNode listResourceTags(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    Pages.PageRequest page = Pages.read(c.in, 50);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.LIST_RESOURCE_TAGS, key, Map.of());
          ObjectNode paging = Json.object();
          List<Map.Entry<String, String>> items =
              Pages.page(
                  "ListResourceTags",
                  page,
                  new ArrayList<>(key.tags.entrySet()),
                  Map.Entry::getKey,
                  50,
                  state.config.maxPageSize(),
                  paging);
          ArrayNode list = Json.array();
          items.forEach(e -> list.add(Render.tag(e.getKey(), e.getValue())));
          ObjectNode out = Json.object();
          out.set("Tags", list);
          out.setAll(paging);
          return out;
        });
  }
}
