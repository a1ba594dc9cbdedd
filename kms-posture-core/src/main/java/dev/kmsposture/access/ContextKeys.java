package dev.kmsposture.access;

import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.NarrowingKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the access analysis knows about request context keys: which follow from the principal, which
 * KMS keys a request can carry only for some actions, which the caller chooses, which have a fixed
 * value in every KMS request, and which describe the caller's identity.
 *
 * <p>Sources: KMS Developer Guide, "AWS KMS condition keys" (each key's "API operations"), and IAM
 * User Guide, "AWS global condition context keys". A key missing from the action table is taken to
 * be possible with every action, which errs towards access (a Deny on it is not assumed to apply).
 */
final class ContextKeys {
  private ContextKeys() {}

  /** Keys the request derives from the principal ({@link AccessRequest}); never enumerated. */
  static final Set<String> DERIVED =
      Set.of(
          "aws:principalarn",
          "aws:principalaccount",
          "kms:calleraccount",
          "aws:principaltype",
          "aws:username",
          "aws:principalisawsservice");

  /**
   * Keys AWS sends only with requests that an AWS service principal makes directly (IAM "AWS global
   * condition context keys": "the aws:SourceAccount condition key is only available when the call
   * to your resource is made directly by an AWS service principal"; the Availability of
   * aws:SourceArn, aws:SourceOrgID and aws:SourceOrgPaths says the same). The access analysis never
   * gives them to another caller; the evaluator still decides whatever request it is given.
   */
  static final Set<String> SERVICE_ONLY =
      Set.of("aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths");

  private static final List<KmsAction> EC_OPERATIONS =
      List.of(
          KmsAction.CREATE_GRANT,
          KmsAction.DECRYPT,
          KmsAction.ENCRYPT,
          KmsAction.GENERATE_DATA_KEY,
          KmsAction.GENERATE_DATA_KEY_PAIR,
          KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT,
          KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
          KmsAction.RE_ENCRYPT_FROM,
          KmsAction.RE_ENCRYPT_TO);

  // KMS request parameters as condition keys, and the only operations whose requests carry them.
  private static final Map<String, List<KmsAction>> ONLY_WITH =
      Map.ofEntries(
          Map.entry(
              "kms:bypasspolicylockoutsafetycheck",
              List.of(KmsAction.CREATE_KEY, KmsAction.PUT_KEY_POLICY)),
          Map.entry(
              "kms:schedulekeydeletionpendingwindowindays",
              List.of(KmsAction.SCHEDULE_KEY_DELETION)),
          Map.entry("kms:rotationperiodindays", List.of(KmsAction.ENABLE_KEY_ROTATION)),
          Map.entry("kms:grantoperations", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:grantconstrainttype", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:granteeprincipal", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:retiringprincipal", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:granteeserviceprincipal", List.of(KmsAction.CREATE_GRANT)),
          Map.entry("kms:grantconstraintsourcearn", List.of(KmsAction.CREATE_GRANT)),
          Map.entry(
              "kms:grantisforawsresource",
              List.of(KmsAction.CREATE_GRANT, KmsAction.LIST_GRANTS, KmsAction.REVOKE_GRANT)),
          Map.entry("kms:encryptioncontextkeys", EC_OPERATIONS),
          Map.entry("kms:signingalgorithm", List.of(KmsAction.SIGN, KmsAction.VERIFY)),
          Map.entry("kms:messagetype", List.of(KmsAction.SIGN, KmsAction.VERIFY)),
          Map.entry("kms:macalgorithm", List.of(KmsAction.GENERATE_MAC, KmsAction.VERIFY_MAC)),
          Map.entry("kms:replicaregion", List.of(KmsAction.REPLICATE_KEY)),
          Map.entry("kms:primaryregion", List.of(KmsAction.UPDATE_PRIMARY_REGION)),
          Map.entry("kms:keyagreementalgorithm", List.of(KmsAction.DERIVE_SHARED_SECRET)),
          Map.entry(
              "kms:datakeypairspec",
              List.of(
                  KmsAction.GENERATE_DATA_KEY_PAIR,
                  KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT)),
          Map.entry(
              "kms:reencryptonsamekey",
              List.of(KmsAction.RE_ENCRYPT_FROM, KmsAction.RE_ENCRYPT_TO)));

  private static final String EC_PREFIX = "kms:encryptioncontext:";

  // Keys whose value the caller chooses in the request (the KMS request parameters above, MFA,
  // the user agent, tags it sends): a caller can be assumed to send what a condition needs.
  private static final Set<String> CALLER_CHOSEN =
      Set.of(
          "aws:multifactorauthpresent",
          "aws:multifactorauthage",
          "aws:useragent",
          "aws:referer",
          "aws:tokenissuetime",
          "aws:tagkeys",
          "kms:encryptionalgorithm",
          "kms:requestalias");

  /**
   * Returns whether {@code action}'s requests can carry context key {@code lowerKey}: false only
   * for KMS request-parameter keys of other operations.
   */
  static boolean possibleWith(String lowerKey, KmsAction action) {
    if (lowerKey.startsWith(EC_PREFIX)) {
      return EC_OPERATIONS.contains(action);
    }
    List<KmsAction> only = ONLY_WITH.get(lowerKey);
    return only == null || only.contains(action);
  }

  /**
   * Returns which request-parameter context keys {@code action}'s requests can carry, as a string
   * that is equal for two actions exactly when {@link #possibleWith} answers alike for them on
   * every key: actions are grouped by it ({@link AccessDiff}) only where the context treats them
   * alike.
   */
  static String possibleKeysSignature(KmsAction action) {
    StringBuilder sb = new StringBuilder(ONLY_WITH.size() + 1);
    sb.append(EC_OPERATIONS.contains(action) ? '1' : '0');
    for (List<KmsAction> only : new java.util.TreeMap<>(ONLY_WITH).values()) {
      sb.append(only.contains(action) ? '1' : '0');
    }
    return sb.toString();
  }

  /** Returns whether the caller chooses the key's value in its request. */
  static boolean callerChosen(String lowerKey) {
    return CALLER_CHOSEN.contains(lowerKey)
        || ONLY_WITH.containsKey(lowerKey)
        || lowerKey.startsWith(EC_PREFIX)
        || lowerKey.startsWith("aws:requesttag/");
  }

  /**
   * Returns the value every KMS request carries for the key, or null: {@code aws:SecureTransport}
   * is always true (KMS accepts only TLS).
   */
  static @org.jspecify.annotations.Nullable List<String> fixedValue(String lowerKey) {
    return lowerKey.equals("aws:securetransport") ? List.of("true") : null;
  }

  /**
   * Returns whether the key describes who the caller is or where it calls from ({@link
   * NarrowingKey}): for a principal of an account the policy does not name, such a key has a value
   * the policy does not name either, or none.
   */
  static boolean describesCaller(String lowerKey) {
    return NarrowingKey.of(lowerKey).isPresent() || lowerKey.equals("aws:userid");
  }

  /** Lower-cases a key name. */
  static String lower(String key) {
    return key.toLowerCase(Locale.ROOT);
  }
}
