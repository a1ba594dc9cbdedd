package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KmsAction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant and RevokeGrant.
 *
 * <p>From the API reference: a grant names exactly one grantee (a principal ARN, or a service
 * principal with a {@code SourceArn} constraint and a retiring principal); its operations must suit
 * the key; encryption-context constraints apply to symmetric encryption keys only, at most 8 pairs
 * each, one kind per grant; a {@code Name} makes a retry with identical parameters return the same
 * grant id with a new token (every token of a grant works); CreateGrant, RetireGrant and
 * RevokeGrant take {@code DryRun}; at most 50,000 grants per key.
 */
final class GrantOperations {
  private static final Pattern PRINCIPAL = Pattern.compile("^[\\w+=,.@:/-]+$");
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9:/_-]+$");
  private static final Pattern GRANT_ID = Pattern.compile("[0-9a-f]{64}");
  static final List<String> OPERATIONS =
      List.of(
          "Decrypt",
          "Encrypt",
          "GenerateDataKey",
          "GenerateDataKeyWithoutPlaintext",
          "ReEncryptFrom",
          "ReEncryptTo",
          "Sign",
          "Verify",
          "GetPublicKey",
          "CreateGrant",
          "RetireGrant",
          "DescribeKey",
          "GenerateDataKeyPair",
          "GenerateDataKeyPairWithoutPlaintext",
          "GenerateMac",
          "VerifyMac",
          "DeriveSharedSecret",
          "Encapsulate",
          "Decapsulate");
  static final int MAX_GRANTS_PER_KEY = 50_000;

  private final KmsState state;
  private final AccessControl access;

  GrantOperations(KmsState state, AccessControl access) {
    this.state = state;
    this.access = access;
  }

  void register(Map<String, Operation> ops) {
    ops.put("CreateGrant", this::createGrant);
    ops.put("ListGrants", this::listGrants);
    ops.put("ListRetirableGrants", this::listRetirableGrants);
    ops.put("RetireGrant", this::retireGrant);
    ops.put("RevokeGrant", this::revokeGrant);
  }

  private @Nullable String principal(Request in, String member) {
    return in.optionalString(member, 1, 256, PRINCIPAL);
  }

  /** A grantee or retiring principal must be the ARN of an AWS account, user, role or session. */
  private static void requirePrincipalArn(String value) {
    Arn arn = Arn.tryParse(value).orElse(null);
    boolean valid =
        arn != null
            && arn.account().matches("\\d{12}")
            && (arn.service().equals("iam") || arn.service().equals("sts"))
            && !arn.resource().isEmpty();
    if (!valid) {
      throw KmsErrors.invalidArn("ARN does not refer to a valid principal: " + value);
    }
  }

  // ---- CreateGrant ----

  private JsonNode createGrant(KmsCall c) {
    Request in = c.in;
    String keyId = Support.keyIdParam(in);
    String grantee = principal(in, "GranteePrincipal");
    String granteeService = in.optionalString("GranteeServicePrincipal", 1, 128);
    String retiring = principal(in, "RetiringPrincipal");
    String retiringService = in.optionalString("RetiringServicePrincipal", 1, 128);
    List<String> operations = in.stringList("Operations");
    if (!in.has("Operations")) {
      in.problem(
          "Value null at 'operations' failed to satisfy constraint: Member must not be null");
    }
    for (String op : operations) {
      if (!OPERATIONS.contains(op)) {
        in.problem(
            "Value '"
                + operations
                + "' at 'operations' failed to satisfy constraint: Member must satisfy"
                + " constraint: [Member must satisfy enum value set: "
                + OPERATIONS
                + "]");
        break;
      }
    }
    ObjectNode constraints = in.object("Constraints");
    Map<String, String> equals =
        constraints == null
            ? Map.of()
            : Request.stringMap(
                constraints.get("EncryptionContextEquals"), "EncryptionContextEquals");
    Map<String, String> subset =
        constraints == null
            ? Map.of()
            : Request.stringMap(
                constraints.get("EncryptionContextSubset"), "EncryptionContextSubset");
    String sourceArn =
        constraints == null || constraints.get("SourceArn") == null
            ? null
            : constraints.get("SourceArn").asText();
    Support.checkGrantTokens(state, in);
    String name = in.optionalString("Name", 1, 256, NAME);
    boolean dryRun = in.bool("DryRun");
    in.throwIfInvalid();
    Support.requireKnownTokens(state, in);

    if ((grantee == null) == (granteeService == null)) {
      throw KmsErrors.validation(
          "Specify exactly one of GranteePrincipal and GranteeServicePrincipal.");
    }
    if (retiring != null && retiringService != null) {
      throw KmsErrors.validation(
          "Specify at most one of RetiringPrincipal and RetiringServicePrincipal.");
    }
    if (granteeService != null
        && (sourceArn == null || (retiring == null && retiringService == null))) {
      throw KmsErrors.validation(
          "A grant for a service principal requires a SourceArn constraint and a retiring"
              + " principal.");
    }
    if (grantee != null) {
      requirePrincipalArn(grantee);
    }
    if (retiring != null) {
      requirePrincipalArn(retiring);
    }
    if (operations.isEmpty()) {
      throw KmsErrors.validation(
          "1 validation error detected: Value '[]' at 'operations' failed to satisfy constraint:"
              + " Member must have length greater than or equal to 1");
    }
    if (!equals.isEmpty() && !subset.isEmpty()) {
      throw KmsErrors.validation(
          "A grant constraint can contain EncryptionContextEquals or EncryptionContextSubset, not"
              + " both.");
    }
    checkContextConstraint("EncryptionContextEquals", equals);
    checkContextConstraint("EncryptionContextSubset", subset);

    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, true);
          Map<String, List<String>> ctx = Support.context();
          ctx.put("kms:GrantOperations", List.copyOf(new LinkedHashSet<>(operations)));
          ctx.put("kms:GranteePrincipal", List.of(grantee != null ? grantee : granteeService));
          if (retiring != null || retiringService != null) {
            ctx.put(
                "kms:RetiringPrincipal", List.of(retiring != null ? retiring : retiringService));
          }
          if (!equals.isEmpty()) {
            ctx.put("kms:GrantConstraintType", List.of("EncryptionContextEquals"));
          } else if (!subset.isEmpty()) {
            ctx.put("kms:GrantConstraintType", List.of("EncryptionContextSubset"));
          }
          ctx.put("kms:GrantIsForAWSResource", List.of("false"));
          access.authorize(c, KmsAction.CREATE_GRANT, key, ctx);
          KeyStates.require(key, KeyStates.Use.CRYPTO, state.config.pendingDeletionErrorCode());
          Set<String> valid = KeySpecs.grantOperations(key.spec(), key.usage());
          for (String op : operations) {
            if (!valid.contains(op)) {
              throw KmsErrors.validation(
                  "Grant operation "
                      + op
                      + " is not valid for "
                      + key.arn
                      + " (key spec "
                      + key.spec()
                      + ", key usage "
                      + key.usage()
                      + "); valid operations: "
                      + valid);
            }
          }
          if ((!equals.isEmpty() || !subset.isEmpty()) && !KeySpecs.isSymmetric(key.spec())) {
            throw KmsErrors.validation(
                "Encryption context grant constraints are valid only for symmetric encryption"
                    + " KMS keys; "
                    + key.arn
                    + " has key spec "
                    + key.spec()
                    + ".");
          }
          GrantRecord candidate =
              new GrantRecord(
                  state.ids.hex(32),
                  state.nextSeq(),
                  name,
                  grantee,
                  granteeService,
                  retiring,
                  retiringService,
                  List.copyOf(new LinkedHashSet<>(operations)),
                  equals,
                  subset,
                  sourceArn,
                  constraints != null,
                  KmsState.rootArn(c.account(), c.region()),
                  c.now());
          GrantRecord existing = null;
          if (name != null) {
            for (GrantRecord g : key.grants.values()) {
              if (g.sameParameters(candidate)) {
                existing = g;
                break;
              }
            }
          }
          if (existing == null && key.grants.size() >= MAX_GRANTS_PER_KEY) {
            throw KmsErrors.limitExceeded(
                "Key " + key.arn + " already has " + MAX_GRANTS_PER_KEY + " grants.");
          }
          if (dryRun) {
            throw KmsErrors.dryRun();
          }
          GrantRecord grant = existing != null ? existing : candidate;
          if (existing == null) {
            key.grants.put(grant.grantId(), grant);
            key.evaluator = null;
          }
          String token = state.ids.grantToken();
          state.putToken(
              token,
              new KmsState.GrantRef(key.account.value(), key.region, key.keyId(), grant.grantId()));
          ObjectNode out = Json.object();
          out.put("GrantToken", token);
          out.put("GrantId", grant.grantId());
          return out;
        });
  }

  private static void checkContextConstraint(String member, Map<String, String> pairs) {
    if (pairs.size() > 8) {
      throw KmsErrors.validation(
          member + " has " + pairs.size() + " pairs; a grant constraint allows at most 8.");
    }
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      if (e.getValue().length() > 384) {
        throw KmsErrors.validation(
            member + " value for key " + e.getKey() + " is longer than 384 characters.");
      }
    }
  }

  static ObjectNode entry(KmsKey key, GrantRecord g) {
    ObjectNode e = Json.object();
    e.put("KeyId", key.arn);
    e.put("GrantId", g.grantId());
    if (g.name() != null) {
      e.put("Name", g.name());
    }
    e.set("CreationDate", Json.time(g.creationDate()));
    if (g.granteePrincipal() != null) {
      e.put("GranteePrincipal", g.granteePrincipal());
    }
    if (g.granteeServicePrincipal() != null) {
      e.put("GranteeServicePrincipal", g.granteeServicePrincipal());
    }
    if (g.retiringPrincipal() != null) {
      e.put("RetiringPrincipal", g.retiringPrincipal());
    }
    if (g.retiringServicePrincipal() != null) {
      e.put("RetiringServicePrincipal", g.retiringServicePrincipal());
    }
    e.put("IssuingAccount", g.issuingAccount());
    e.set("Operations", Json.strings(g.operations()));
    if (g.hasConstraints()) {
      ObjectNode k = Json.object();
      if (!g.encryptionContextSubset().isEmpty()) {
        k.set(
            "EncryptionContextSubset",
            Json.stringMap(new java.util.TreeMap<>(g.encryptionContextSubset())));
      }
      if (!g.encryptionContextEquals().isEmpty()) {
        k.set(
            "EncryptionContextEquals",
            Json.stringMap(new java.util.TreeMap<>(g.encryptionContextEquals())));
      }
      if (g.sourceArn() != null) {
        k.put("SourceArn", g.sourceArn());
      }
      e.set("Constraints", k);
    }
    return e;
  }

  // ---- ListGrants ----

  private JsonNode listGrants(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    Pages.PageRequest page = Pages.read(c.in, 100);
    String grantId = c.in.optionalString("GrantId", 1, 128);
    String grantee = principal(c.in, "GranteePrincipal");
    String granteeService = c.in.optionalString("GranteeServicePrincipal", 1, 128);
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, true);
          access.authorize(c, KmsAction.LIST_GRANTS, key, Map.of());
          if (grantId != null) {
            // API reference, ListGrants: InvalidGrantIdException is among its errors; a GrantId
            // filter that is no grant id is refused, as RevokeGrant and RetireGrant refuse one.
            requireGrantIdForm(grantId);
          }
          List<GrantRecord> all = new ArrayList<>();
          for (GrantRecord g : key.grants.values()) {
            if ((grantId == null || g.grantId().equals(grantId))
                && (grantee == null || grantee.equals(g.granteePrincipal()))
                && (granteeService == null || granteeService.equals(g.granteeServicePrincipal()))) {
              all.add(g);
            }
          }
          ObjectNode paging = Json.object();
          List<GrantRecord> items =
              Pages.page(
                  "ListGrants",
                  page,
                  all,
                  g -> Pages.seqKey(g.seq()),
                  50,
                  state.config.maxPageSize(),
                  paging);
          ArrayNode list = Json.array();
          items.forEach(g -> list.add(entry(key, g)));
          ObjectNode out = Json.object();
          out.set("Grants", list);
          out.setAll(paging);
          return out;
        });
  }

  // ---- ListRetirableGrants ----

  private JsonNode listRetirableGrants(KmsCall c) {
    Pages.PageRequest page = Pages.read(c.in, 100);
    String retiring = principal(c.in, "RetiringPrincipal");
    String retiringService = c.in.optionalString("RetiringServicePrincipal", 1, 128);
    c.in.throwIfInvalid();
    if ((retiring == null) == (retiringService == null)) {
      throw KmsErrors.validation(
          "Specify exactly one of RetiringPrincipal and RetiringServicePrincipal.");
    }
    return state.locked(
        c,
        () -> {
          access.authorizeIam(c, KmsAction.LIST_RETIRABLE_GRANTS, "*", Map.of());
          // API reference, ListRetirableGrants: the grants returned "include grants for KMS keys
          // in your AWS account and other AWS accounts" (in the request's Region).
          List<Map.Entry<KmsKey, GrantRecord>> all = new ArrayList<>();
          for (Map.Entry<KmsState.AccountRegion, Realm> realm : state.allRealms()) {
            if (!realm.getKey().region().equals(c.region())) {
              continue;
            }
            for (KmsKey key : realm.getValue().keys().values()) {
              for (GrantRecord g : key.grants.values()) {
                if ((retiring != null && retiring.equals(g.retiringPrincipal()))
                    || (retiringService != null
                        && retiringService.equals(g.retiringServicePrincipal()))) {
                  all.add(Map.entry(key, g));
                }
              }
            }
          }
          all.sort(java.util.Comparator.comparingLong(e -> e.getValue().seq()));
          ObjectNode paging = Json.object();
          List<Map.Entry<KmsKey, GrantRecord>> items =
              Pages.page(
                  "ListRetirableGrants",
                  page,
                  all,
                  e -> Pages.seqKey(e.getValue().seq()),
                  50,
                  state.config.maxPageSize(),
                  paging);
          ArrayNode list = Json.array();
          items.forEach(e -> list.add(entry(e.getKey(), e.getValue())));
          ObjectNode out = Json.object();
          out.set("Grants", list);
          out.setAll(paging);
          return out;
        });
  }

  // ---- RetireGrant / RevokeGrant ----

  private JsonNode retireGrant(KmsCall c) {
    String token = c.in.optionalString("GrantToken", 1, 8192);
    String keyId = c.in.optionalString("KeyId", 1, 2048);
    String grantId = c.in.optionalString("GrantId", 1, 128);
    boolean dryRun = c.in.bool("DryRun");
    c.in.throwIfInvalid();
    if (token == null && (keyId == null || grantId == null)) {
      throw KmsErrors.validation("Specify a GrantToken, or both a KeyId and a GrantId.");
    }
    return state.locked(
        c,
        () -> {
          KmsKey key;
          String id;
          if (token != null) {
            KmsState.GrantRef ref = state.token(token);
            if (ref == null) {
              throw KmsErrors.invalidGrantToken();
            }
            Realm realm = state.realmIfPresent(ref.account(), ref.region());
            KmsKey found = realm == null ? null : realm.keys().get(ref.keyId());
            if (found == null || !found.grants.containsKey(ref.grantId())) {
              throw KmsErrors.grantNotFound(ref.grantId());
            }
            key = found;
            c.touched(key);
            id = ref.grantId();
          } else {
            key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, true);
            id = Objects.requireNonNull(grantId);
            requireGrantIdForm(id);
          }
          GrantRecord grant = key.grants.get(id);
          if (grant == null) {
            throw KmsErrors.grantNotFound(id);
          }
          authorizeRetire(c, key, grant);
          if (dryRun) {
            throw KmsErrors.dryRun();
          }
          key.grants.remove(id);
          key.evaluator = null;
          return Json.object();
        });
  }

  /**
   * Who may retire a grant (API reference, RetireGrant): its retiring principal, its grantee when
   * the grant includes RetireGrant, or a principal of the account that created it whose IAM
   * policies allow kms:RetireGrant.
   */
  private void authorizeRetire(KmsCall c, KmsKey key, GrantRecord grant) {
    if (!access.enforcing()) {
      return;
    }
    String caller = c.principalArn();
    if (caller.equals(grant.retiringPrincipal())) {
      return;
    }
    if (caller.equals(grant.granteePrincipal()) && grant.operations().contains("RetireGrant")) {
      return;
    }
    if (grant.issuingAccount().equals(KmsState.rootArn(c.account(), c.region()))) {
      access.authorizeIam(c, KmsAction.RETIRE_GRANT, key.arn, Map.of());
      return;
    }
    throw KmsErrors.accessDenied(
        "User: "
            + caller
            + " is not authorized to perform: kms:RetireGrant on resource: "
            + key.arn
            + " because it is neither the grant's retiring principal, nor its grantee with the"
            + " RetireGrant operation, nor in the account that created it");
  }

  private static void requireGrantIdForm(String grantId) {
    if (!GRANT_ID.matcher(grantId).matches()) {
      throw KmsErrors.invalidGrantId(grantId);
    }
  }

  private JsonNode revokeGrant(KmsCall c) {
    String keyId = Support.keyIdParam(c.in);
    String grantId = c.in.requiredString("GrantId", 1, 128);
    boolean dryRun = c.in.bool("DryRun");
    c.in.throwIfInvalid();
    return state.locked(
        c,
        () -> {
          KmsKey key = state.resolve(c, Objects.requireNonNull(keyId), KmsState.Naming.KEY, true);
          access.authorize(c, KmsAction.REVOKE_GRANT, key, Map.of());
          String id = Objects.requireNonNull(grantId);
          requireGrantIdForm(id);
          if (!key.grants.containsKey(id)) {
            throw KmsErrors.grantNotFound(id);
          }
          if (dryRun) {
            throw KmsErrors.dryRun();
          }
          key.grants.remove(id);
          key.evaluator = null;
          return Json.object();
        });
  }
}
