package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.testkit.internal.wire.AwsServiceError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Aliases: CreateAlias, UpdateAlias, DeleteAlias and ListAliases.
 *
 * <p>Rules (API reference): a name is 1–256 characters of {@code [a-zA-Z0-9:/_-]}, starts with
 * {@code alias/} and not with {@code alias/aws/} (reserved for AWS managed keys); it is unique in
 * the account and Region; its target is a customer managed key of the same account and Region that
 * is not pending deletion; a key has at most 50 aliases; UpdateAlias keeps the key type and key
 * usage. ListAliases also lists AWS's predefined {@code alias/aws/*} aliases, without a target
 * until the service creates its key, as AWS does.
 */
final class AliasOperations {
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9:/_-]+$");
  static final int MAX_ALIASES_PER_KEY = 50;

  /** The AWS managed key aliases a new account and Region lists. */
  static final List<String> PREDEFINED =
      List.of(
          "alias/aws/acm",
          "alias/aws/dynamodb",
          "alias/aws/ebs",
          "alias/aws/elasticfilesystem",
          "alias/aws/es",
          "alias/aws/glue",
          "alias/aws/kinesisvideo",
          "alias/aws/lambda",
          "alias/aws/rds",
          "alias/aws/redshift",
          "alias/aws/s3",
          "alias/aws/secretsmanager",
          "alias/aws/ssm",
          "alias/aws/xray");

  private final KmsState state;
  private final AccessControl access;

  AliasOperations(KmsState state, AccessControl access) {
    this.state = state;
    this.access = access;
  }

  void register(Map<String, Operation> ops) {
    ops.put("CreateAlias", this::createAlias);
    ops.put("UpdateAlias", this::updateAlias);
    ops.put("DeleteAlias", this::deleteAlias);
    ops.put("ListAliases", this::listAliases);
  }

  private @Nullable String aliasName(Request in) {
    return in.requiredString("AliasName", 1, 256, NAME);
  }

  /** The checks after the model constraints: the prefix, the reserved prefix, a name part. */
  static void checkName(String name) {
    if (!name.startsWith("alias/")) {
      // Recorded from AWS.
      throw KmsErrors.validation(
          "Alias must start with the prefix \"alias/\". Please see"
              + " https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
    }
    if (name.toLowerCase(Locale.ROOT).startsWith("alias/aws/")) {
      throw AwsServiceError.client(
          "NotAuthorizedException",
          "Alias names that begin with alias/aws/ are reserved for AWS managed keys: " + name);
    }
    if (name.length() == "alias/".length()) {
      throw KmsErrors.invalidAliasName("Alias name " + name + " has no name after alias/.");
    }
  }

  private JsonNode createAlias(KmsCall c) {
    String name = aliasName(c.in);
    String target = c.in.requiredString("TargetKeyId", 1, 2048);
    c.in.throwIfInvalid();
    String aliasName = Objects.requireNonNull(name);
    checkName(aliasName);
    return state.locked(
        c,
        () -> {
          String aliasArn = KmsState.aliasArn(c.account(), c.region(), aliasName);
          access.authorizeIam(c, KmsAction.CREATE_ALIAS, aliasArn, Map.of());
          KmsKey key = state.resolve(c, Objects.requireNonNull(target), KmsState.Naming.KEY, false);
          access.authorize(c, KmsAction.CREATE_ALIAS, key, Map.of());
          Support.requireCustomerManaged(c, key, KmsAction.CREATE_ALIAS);
          KeyStates.require(key, KeyStates.Use.MANAGE, state.config.pendingDeletionErrorCode());
          Realm realm = state.realm(c.account(), c.region());
          if (realm.aliases().containsKey(aliasName)) {
            throw KmsErrors.alreadyExists("An alias with the name " + aliasArn + " already exists");
          }
          requireRoomForAlias(realm, key);
          realm.aliases().put(aliasName, new AliasRecord(aliasName, key.keyId(), c.now(), c.now()));
          key.evaluator = null;
          return Json.object();
        });
  }

  /** A key has at most 50 aliases (CreateAlias and UpdateAlias: LimitExceededException). */
  private static void requireRoomForAlias(Realm realm, KmsKey key) {
    long count =
        realm.aliases().values().stream().filter(a -> a.targetKeyId().equals(key.keyId())).count();
    if (count >= MAX_ALIASES_PER_KEY) {
      throw KmsErrors.limitExceeded(
          "Key "
              + key.arn
              + " already has "
              + MAX_ALIASES_PER_KEY
              + " aliases, the most a"
              + " key can have.");
    }
  }

  private JsonNode updateAlias(KmsCall c) {
    String name = aliasName(c.in);
    String target = c.in.requiredString("TargetKeyId", 1, 2048);
    c.in.throwIfInvalid();
    String aliasName = Objects.requireNonNull(name);
    checkName(aliasName);
    return state.locked(
        c,
        () -> {
          String aliasArn = KmsState.aliasArn(c.account(), c.region(), aliasName);
          access.authorizeIam(c, KmsAction.UPDATE_ALIAS, aliasArn, Map.of());
          Realm realm = state.realm(c.account(), c.region());
          AliasRecord alias = realm.aliases().get(aliasName);
          if (alias == null) {
            throw KmsErrors.aliasNotFound(aliasArn);
          }
          KmsKey current = realm.keys().get(alias.targetKeyId());
          KmsKey next =
              state.resolve(c, Objects.requireNonNull(target), KmsState.Naming.KEY, false);
          if (current != null) {
            c.touched(current);
            access.authorize(c, KmsAction.UPDATE_ALIAS, current, Map.of());
          }
          access.authorize(c, KmsAction.UPDATE_ALIAS, next, Map.of());
          Support.requireCustomerManaged(c, next, KmsAction.UPDATE_ALIAS);
          // Key-state table footnote: the destination may not be pending deletion; the source
          // may.
          KeyStates.require(next, KeyStates.Use.MANAGE, state.config.pendingDeletionErrorCode());
          if (current != null
              && (!KeySpecs.keyType(current.spec()).equals(KeySpecs.keyType(next.spec()))
                  || !current.usage().equals(next.usage()))) {
            throw KmsErrors.validation(
                "Alias "
                    + aliasName
                    + " points to a "
                    + KeySpecs.keyType(current.spec())
                    + " "
                    + current.usage()
                    + " key; the new target "
                    + next.arn
                    + " is a "
                    + KeySpecs.keyType(next.spec())
                    + " "
                    + next.usage()
                    + " key. UpdateAlias keeps the key type and key usage.");
          }
          if (!next.keyId().equals(alias.targetKeyId())) {
            // API reference, UpdateAlias: LimitExceededException is among its errors; the new
            // target takes one more alias, within the quota of 50 aliases per key.
            requireRoomForAlias(realm, next);
          }
          realm
              .aliases()
              .put(
                  aliasName,
                  new AliasRecord(aliasName, next.keyId(), alias.creationDate(), c.now()));
          next.evaluator = null;
          if (current != null) {
            current.evaluator = null;
          }
          return Json.object();
        });
  }

  private JsonNode deleteAlias(KmsCall c) {
    String name = aliasName(c.in);
    c.in.throwIfInvalid();
    String aliasName = Objects.requireNonNull(name);
    checkName(aliasName);
    return state.locked(
        c,
        () -> {
          String aliasArn = KmsState.aliasArn(c.account(), c.region(), aliasName);
          access.authorizeIam(c, KmsAction.DELETE_ALIAS, aliasArn, Map.of());
          Realm realm = state.realm(c.account(), c.region());
          AliasRecord alias = realm.aliases().get(aliasName);
          if (alias == null) {
            throw KmsErrors.aliasNotFound(aliasArn);
          }
          KmsKey key = realm.keys().get(alias.targetKeyId());
          if (key != null) {
            c.touched(key);
            access.authorize(c, KmsAction.DELETE_ALIAS, key, Map.of());
            key.evaluator = null;
          }
          // Allowed in every key state (key-state table).
          realm.aliases().remove(aliasName);
          return Json.object();
        });
  }

  private JsonNode listAliases(KmsCall c) {
    String keyId = c.in.optionalString("KeyId", 1, 2048);
    Pages.PageRequest page = Pages.read(c.in, 100);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          access.authorizeIam(c, KmsAction.LIST_ALIASES, "*", Map.of());
          Realm realm = state.realm(c.account(), c.region());
          TreeMap<String, ObjectNode> entries = new TreeMap<>();
          KmsKey filter =
              keyId == null ? null : state.resolve(c, keyId, KmsState.Naming.KEY, false);
          for (AliasRecord a : realm.aliases().values()) {
            if (filter == null || a.targetKeyId().equals(filter.keyId())) {
              ObjectNode e = Json.object();
              e.put("AliasName", a.name());
              e.put("AliasArn", KmsState.aliasArn(c.account(), c.region(), a.name()));
              e.put("TargetKeyId", a.targetKeyId());
              e.set("CreationDate", Json.time(a.creationDate()));
              e.set("LastUpdatedDate", Json.time(a.lastUpdatedDate()));
              entries.put(a.name(), e);
            }
          }
          if (filter == null) {
            for (String predefined : PREDEFINED) {
              if (!entries.containsKey(predefined)) {
                ObjectNode e = Json.object();
                e.put("AliasName", predefined);
                e.put("AliasArn", KmsState.aliasArn(c.account(), c.region(), predefined));
                entries.put(predefined, e);
              }
            }
          }
          ObjectNode paging = Json.object();
          List<ObjectNode> items =
              Pages.page(
                  "ListAliases",
                  page,
                  new ArrayList<>(entries.values()),
                  e -> e.get("AliasName").textValue(),
                  50,
                  state.config.maxPageSize(),
                  paging);
          ArrayNode list = Json.array();
          items.forEach(list::add);
          ObjectNode out = Json.object();
          out.set("Aliases", list);
          out.setAll(paging);
          return out;
        });
  }
}
