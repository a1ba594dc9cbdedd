package dev.kmsposture.policy;

import dev.kmsposture.internal.glob.Glob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An action as written in a policy's {@code Action} or {@code NotAction} element, such as {@code
 * kms:Decrypt}, {@code kms:Get*} or {@code *}, together with the catalog of every permission (IAM
 * action) that AWS KMS defines.
 *
 * <p>This is an open value: any non-empty name parses and round-trips with its letter case as
 * written, so policies that name actions newer than this catalog, or misspell one, are kept
 * faithfully. {@link #equals} compares the name exactly; IAM compares action names ignoring case,
 * and {@link #matches(String)}, {@link #lookup(String)} and {@link #canonical()} do the same.
 *
 * <p>Permissions are not one-to-one with API operations. The {@code ReEncrypt} operation is
 * authorized by {@link #RE_ENCRYPT_FROM} on the source key and {@link #RE_ENCRYPT_TO} on the
 * destination key (there is no {@code kms:ReEncrypt} permission), and {@link
 * #SYNCHRONIZE_MULTI_REGION_KEY} is a permission with no operation. The catalog covers every
 * operation of the AWS SDK for Java {@code kms} client 2.57.8.
 *
 * <p>For each catalog action this type records:
 *
 * <ul>
 *   <li>its {@linkplain #accessLevel() access level}, as the Service Authorization Reference
 *       classifies it (every cryptographic operation is {@link AccessLevel#WRITE} there);
 *   <li>whether it is {@linkplain #isCryptographic() cryptographic};
 *   <li>whether it works {@linkplain #isCrossAccount() across accounts} (the API reference's
 *       "Cross-account use: Yes");
 *   <li>whether a {@linkplain #isKeyPolicyAuthorizable() key policy} can authorize it at all;
 *   <li>its {@linkplain #grantOperation() grant operation}, when a grant can allow it.
 * </ul>
 *
 * <p>Example:
 *
 * <pre>{@code
 * KmsAction pattern = KmsAction.of("kms:*Grant*");
 * pattern.matches(KmsAction.CREATE_GRANT);  // true
 * pattern.expand();                         // CreateGrant, ListGrants, ListRetirableGrants, ...
 * KmsAction.of("KMS:decrypt").canonical();  // kms:Decrypt
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; {@link #matches(String)} allocates nothing.
 *
 * @param name the action as written, letter case preserved
 * @see <a
 *     href="https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html">Actions,
 *     resources, and condition keys for AWS Key Management Service</a>
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html">AWS
 *     KMS permissions reference</a>
 */
public record KmsAction(String name) {

  /** {@code kms:*}: every KMS action. */
  public static final KmsAction ALL = new KmsAction("kms:*");

  /** {@code *}: every action of every service. */
  public static final KmsAction ANY = new KmsAction("*");

  /** {@code kms:CancelKeyDeletion}: cancels the scheduled deletion of a key. */
  public static final KmsAction CANCEL_KEY_DELETION = new KmsAction("kms:CancelKeyDeletion");

  /**
   * {@code kms:ConnectCustomKeyStore}: connects a custom key store to its CloudHSM cluster or
   * external key store proxy.
   */
  public static final KmsAction CONNECT_CUSTOM_KEY_STORE =
      new KmsAction("kms:ConnectCustomKeyStore");

  /**
   * {@code kms:CreateAlias}: creates an alias; needed on the alias (IAM) and on the key (key
   * policy).
   */
  public static final KmsAction CREATE_ALIAS = new KmsAction("kms:CreateAlias");

  /** {@code kms:CreateCustomKeyStore}: creates a custom key store. */
  public static final KmsAction CREATE_CUSTOM_KEY_STORE = new KmsAction("kms:CreateCustomKeyStore");

  /** {@code kms:CreateGrant}: adds a grant to a key. */
  public static final KmsAction CREATE_GRANT = new KmsAction("kms:CreateGrant");

  /** {@code kms:CreateKey}: creates a key; IAM only, since the key does not exist yet. */
  public static final KmsAction CREATE_KEY = new KmsAction("kms:CreateKey");

  /**
   * {@code kms:Decapsulate}: recovers a shared secret from a ciphertext with an ML-KEM private key.
   */
  public static final KmsAction DECAPSULATE = new KmsAction("kms:Decapsulate");

  /** {@code kms:Decrypt}: decrypts ciphertext. */
  public static final KmsAction DECRYPT = new KmsAction("kms:Decrypt");

  /**
   * {@code kms:DeleteAlias}: deletes an alias; needed on the alias (IAM) and on the key (key
   * policy).
   */
  public static final KmsAction DELETE_ALIAS = new KmsAction("kms:DeleteAlias");

  /** {@code kms:DeleteCustomKeyStore}: deletes a custom key store. */
  public static final KmsAction DELETE_CUSTOM_KEY_STORE = new KmsAction("kms:DeleteCustomKeyStore");

  /** {@code kms:DeleteImportedKeyMaterial}: deletes imported key material. */
  public static final KmsAction DELETE_IMPORTED_KEY_MATERIAL =
      new KmsAction("kms:DeleteImportedKeyMaterial");

  /** {@code kms:DeriveSharedSecret}: derives a shared secret with a key-agreement key. */
  public static final KmsAction DERIVE_SHARED_SECRET = new KmsAction("kms:DeriveSharedSecret");

  /**
   * {@code kms:DescribeCustomKeyStores}: describes the custom key stores in the account and Region.
   */
  public static final KmsAction DESCRIBE_CUSTOM_KEY_STORES =
      new KmsAction("kms:DescribeCustomKeyStores");

  /** {@code kms:DescribeKey}: reads a key's metadata. */
  public static final KmsAction DESCRIBE_KEY = new KmsAction("kms:DescribeKey");

  /** {@code kms:DisableKey}: disables a key. */
  public static final KmsAction DISABLE_KEY = new KmsAction("kms:DisableKey");

  /** {@code kms:DisableKeyRotation}: disables automatic rotation of a key. */
  public static final KmsAction DISABLE_KEY_ROTATION = new KmsAction("kms:DisableKeyRotation");

  /** {@code kms:DisconnectCustomKeyStore}: disconnects a custom key store. */
  public static final KmsAction DISCONNECT_CUSTOM_KEY_STORE =
      new KmsAction("kms:DisconnectCustomKeyStore");

  /** {@code kms:EnableKey}: enables a key. */
  public static final KmsAction ENABLE_KEY = new KmsAction("kms:EnableKey");

  /** {@code kms:EnableKeyRotation}: enables automatic rotation of a key. */
  public static final KmsAction ENABLE_KEY_ROTATION = new KmsAction("kms:EnableKeyRotation");

  /**
   * {@code kms:Encapsulate}: generates a shared secret and its ciphertext with an ML-KEM public
   * key.
   */
  public static final KmsAction ENCAPSULATE = new KmsAction("kms:Encapsulate");

  /** {@code kms:Encrypt}: encrypts plaintext. */
  public static final KmsAction ENCRYPT = new KmsAction("kms:Encrypt");

  /** {@code kms:GenerateDataKey}: generates a data key, returned in plaintext and encrypted. */
  public static final KmsAction GENERATE_DATA_KEY = new KmsAction("kms:GenerateDataKey");

  /**
   * {@code kms:GenerateDataKeyPair}: generates an asymmetric data key pair, private key returned in
   * plaintext.
   */
  public static final KmsAction GENERATE_DATA_KEY_PAIR = new KmsAction("kms:GenerateDataKeyPair");

  /**
   * {@code kms:GenerateDataKeyPairWithoutPlaintext}: generates an asymmetric data key pair, private
   * key returned only encrypted.
   */
  public static final KmsAction GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT =
      new KmsAction("kms:GenerateDataKeyPairWithoutPlaintext");

  /** {@code kms:GenerateDataKeyWithoutPlaintext}: generates a data key returned only encrypted. */
  public static final KmsAction GENERATE_DATA_KEY_WITHOUT_PLAINTEXT =
      new KmsAction("kms:GenerateDataKeyWithoutPlaintext");

  /** {@code kms:GenerateMac}: computes an HMAC. */
  public static final KmsAction GENERATE_MAC = new KmsAction("kms:GenerateMac");

  /** {@code kms:GenerateRandom}: returns random bytes; not a key operation, so IAM only. */
  public static final KmsAction GENERATE_RANDOM = new KmsAction("kms:GenerateRandom");

  /** {@code kms:GetKeyLastUsage}: reads when a key was last used for a cryptographic operation. */
  public static final KmsAction GET_KEY_LAST_USAGE = new KmsAction("kms:GetKeyLastUsage");

  /** {@code kms:GetKeyPolicy}: reads a key policy. */
  public static final KmsAction GET_KEY_POLICY = new KmsAction("kms:GetKeyPolicy");

  /** {@code kms:GetKeyRotationStatus}: reads a key's automatic rotation status. */
  public static final KmsAction GET_KEY_ROTATION_STATUS = new KmsAction("kms:GetKeyRotationStatus");

  /**
   * {@code kms:GetParametersForImport}: gets the wrapping key and import token for importing key
   * material.
   */
  public static final KmsAction GET_PARAMETERS_FOR_IMPORT =
      new KmsAction("kms:GetParametersForImport");

  /** {@code kms:GetPublicKey}: downloads the public key of an asymmetric key. */
  public static final KmsAction GET_PUBLIC_KEY = new KmsAction("kms:GetPublicKey");

  /** {@code kms:ImportKeyMaterial}: imports key material. */
  public static final KmsAction IMPORT_KEY_MATERIAL = new KmsAction("kms:ImportKeyMaterial");

  /** {@code kms:ListAliases}: lists the aliases in the account and Region; IAM only. */
  public static final KmsAction LIST_ALIASES = new KmsAction("kms:ListAliases");

  /** {@code kms:ListGrants}: lists the grants on a key. */
  public static final KmsAction LIST_GRANTS = new KmsAction("kms:ListGrants");

  /** {@code kms:ListKeyPolicies}: lists the names of a key's policies. */
  public static final KmsAction LIST_KEY_POLICIES = new KmsAction("kms:ListKeyPolicies");

  /** {@code kms:ListKeyRotations}: lists the completed rotations of a key's material. */
  public static final KmsAction LIST_KEY_ROTATIONS = new KmsAction("kms:ListKeyRotations");

  /** {@code kms:ListKeys}: lists the keys in the account and Region; IAM only. */
  public static final KmsAction LIST_KEYS = new KmsAction("kms:ListKeys");

  /** {@code kms:ListResourceTags}: lists a key's tags. */
  public static final KmsAction LIST_RESOURCE_TAGS = new KmsAction("kms:ListResourceTags");

  /**
   * {@code kms:ListRetirableGrants}: lists the grants a principal can retire; IAM only, authorized
   * on the retiring principal.
   */
  public static final KmsAction LIST_RETIRABLE_GRANTS = new KmsAction("kms:ListRetirableGrants");

  /** {@code kms:PutKeyPolicy}: replaces a key policy. */
  public static final KmsAction PUT_KEY_POLICY = new KmsAction("kms:PutKeyPolicy");

  /** {@code kms:ReEncryptFrom}: decrypts under the source key of a ReEncrypt call. */
  public static final KmsAction RE_ENCRYPT_FROM = new KmsAction("kms:ReEncryptFrom");

  /** {@code kms:ReEncryptTo}: encrypts under the destination key of a ReEncrypt call. */
  public static final KmsAction RE_ENCRYPT_TO = new KmsAction("kms:ReEncryptTo");

  /** {@code kms:ReplicateKey}: replicates a multi-Region primary key into another Region. */
  public static final KmsAction REPLICATE_KEY = new KmsAction("kms:ReplicateKey");

  /** {@code kms:RetireGrant}: retires a grant. */
  public static final KmsAction RETIRE_GRANT = new KmsAction("kms:RetireGrant");

  /** {@code kms:RevokeGrant}: revokes a grant. */
  public static final KmsAction REVOKE_GRANT = new KmsAction("kms:RevokeGrant");

  /** {@code kms:RotateKeyOnDemand}: rotates a key's material now. */
  public static final KmsAction ROTATE_KEY_ON_DEMAND = new KmsAction("kms:RotateKeyOnDemand");

  /** {@code kms:ScheduleKeyDeletion}: schedules the deletion of a key. */
  public static final KmsAction SCHEDULE_KEY_DELETION = new KmsAction("kms:ScheduleKeyDeletion");

  /** {@code kms:Sign}: signs a message. */
  public static final KmsAction SIGN = new KmsAction("kms:Sign");

  /**
   * {@code kms:SynchronizeMultiRegionKey}: synchronizes the shared properties of a multi-Region
   * key; used by KMS's service-linked role, no API operation.
   */
  public static final KmsAction SYNCHRONIZE_MULTI_REGION_KEY =
      new KmsAction("kms:SynchronizeMultiRegionKey");

  /** {@code kms:TagResource}: adds or overwrites tags on a key. */
  public static final KmsAction TAG_RESOURCE = new KmsAction("kms:TagResource");

  /** {@code kms:UntagResource}: removes tags from a key. */
  public static final KmsAction UNTAG_RESOURCE = new KmsAction("kms:UntagResource");

  /**
   * {@code kms:UpdateAlias}: points an alias at another key; needed on the alias (IAM) and on both
   * keys (key policies).
   */
  public static final KmsAction UPDATE_ALIAS = new KmsAction("kms:UpdateAlias");

  /** {@code kms:UpdateCustomKeyStore}: changes a custom key store's settings. */
  public static final KmsAction UPDATE_CUSTOM_KEY_STORE = new KmsAction("kms:UpdateCustomKeyStore");

  /** {@code kms:UpdateKeyDescription}: changes a key's description. */
  public static final KmsAction UPDATE_KEY_DESCRIPTION = new KmsAction("kms:UpdateKeyDescription");

  /** {@code kms:UpdatePrimaryRegion}: changes the primary key of a multi-Region key set. */
  public static final KmsAction UPDATE_PRIMARY_REGION = new KmsAction("kms:UpdatePrimaryRegion");

  /** {@code kms:Verify}: verifies a signature. */
  public static final KmsAction VERIFY = new KmsAction("kms:Verify");

  /** {@code kms:VerifyMac}: verifies an HMAC. */
  public static final KmsAction VERIFY_MAC = new KmsAction("kms:VerifyMac");

  // Flags of a catalog entry.
  private static final int NONE = 0;
  private static final int CRYPTOGRAPHIC = 1;
  private static final int CROSS_ACCOUNT = 1 << 1;
  private static final int KEY_POLICY = 1 << 2;

  // The catalog, sorted by name ignoring case so that lookups can binary-search it without
  // allocating. Sources, checked per action:
  //  - access level: Service Authorization Reference, "Actions defined by AWS Key Management
  //    Service" (cryptographic operations and GenerateRandom are Write there, not Read);
  //  - cross-account: "Cross-account use" in each operation's page of the KMS API Reference;
  //  - key policy: the "Policy type" column of the KMS permissions reference. An action without the
  //    key resource type (CreateKey, GenerateRandom, ListKeys, ListAliases, ListRetirableGrants and
  //    the custom key store actions) can only be allowed by an IAM policy. CreateAlias, UpdateAlias
  //    and DeleteAlias need permission on the alias (IAM) and on the key (key policy);
  //  - grant operation: the GrantOperation enum of the KMS API (SDK 2.57.8 adds Encapsulate and
  //    Decapsulate).
  private static final Entry[] CATALOG = {
    entry(CANCEL_KEY_DELETION, AccessLevel.WRITE, KEY_POLICY, null),
    entry(CONNECT_CUSTOM_KEY_STORE, AccessLevel.WRITE, NONE, null),
    entry(CREATE_ALIAS, AccessLevel.WRITE, KEY_POLICY, null),
    entry(CREATE_CUSTOM_KEY_STORE, AccessLevel.WRITE, NONE, null),
    entry(
        CREATE_GRANT,
        AccessLevel.PERMISSIONS_MANAGEMENT,
        CROSS_ACCOUNT | KEY_POLICY,
        "CreateGrant"),
    entry(CREATE_KEY, AccessLevel.WRITE, NONE, null),
    entry(
        DECAPSULATE, AccessLevel.WRITE, CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY, "Decapsulate"),
    entry(DECRYPT, AccessLevel.WRITE, CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY, "Decrypt"),
    entry(DELETE_ALIAS, AccessLevel.WRITE, KEY_POLICY, null),
    entry(DELETE_CUSTOM_KEY_STORE, AccessLevel.WRITE, NONE, null),
    entry(DELETE_IMPORTED_KEY_MATERIAL, AccessLevel.WRITE, KEY_POLICY, null),
    entry(
        DERIVE_SHARED_SECRET,
        AccessLevel.WRITE,
        CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY,
        "DeriveSharedSecret"),
    entry(DESCRIBE_CUSTOM_KEY_STORES, AccessLevel.READ, NONE, null),
    entry(DESCRIBE_KEY, AccessLevel.READ, CROSS_ACCOUNT | KEY_POLICY, "DescribeKey"),
    entry(DISABLE_KEY, AccessLevel.WRITE, KEY_POLICY, null),
    entry(DISABLE_KEY_ROTATION, AccessLevel.WRITE, KEY_POLICY, null),
    entry(DISCONNECT_CUSTOM_KEY_STORE, AccessLevel.WRITE, NONE, null),
    entry(ENABLE_KEY, AccessLevel.WRITE, KEY_POLICY, null),
    entry(ENABLE_KEY_ROTATION, AccessLevel.WRITE, KEY_POLICY, null),
    entry(
        ENCAPSULATE, AccessLevel.WRITE, CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY, "Encapsulate"),
    entry(ENCRYPT, AccessLevel.WRITE, CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY, "Encrypt"),
    entry(
        GENERATE_DATA_KEY,
        AccessLevel.WRITE,
        CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY,
        "GenerateDataKey"),
    entry(
        GENERATE_DATA_KEY_PAIR,
        AccessLevel.WRITE,
        CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY,
        "GenerateDataKeyPair"),
    entry(
        GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT,
        AccessLevel.WRITE,
        CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY,
        "GenerateDataKeyPairWithoutPlaintext"),
    entry(
        GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
        AccessLevel.WRITE,
        CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY,
        "GenerateDataKeyWithoutPlaintext"),
    entry(
        GENERATE_MAC, AccessLevel.WRITE, CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY, "GenerateMac"),
    entry(GENERATE_RANDOM, AccessLevel.WRITE, NONE, null),
    entry(GET_KEY_LAST_USAGE, AccessLevel.READ, KEY_POLICY, null),
    entry(GET_KEY_POLICY, AccessLevel.READ, KEY_POLICY, null),
    entry(GET_KEY_ROTATION_STATUS, AccessLevel.READ, CROSS_ACCOUNT | KEY_POLICY, null),
    entry(GET_PARAMETERS_FOR_IMPORT, AccessLevel.READ, KEY_POLICY, null),
    entry(GET_PUBLIC_KEY, AccessLevel.READ, CROSS_ACCOUNT | KEY_POLICY, "GetPublicKey"),
    entry(IMPORT_KEY_MATERIAL, AccessLevel.WRITE, KEY_POLICY, null),
    entry(LIST_ALIASES, AccessLevel.LIST, NONE, null),
    entry(LIST_GRANTS, AccessLevel.LIST, CROSS_ACCOUNT | KEY_POLICY, null),
    entry(LIST_KEY_POLICIES, AccessLevel.LIST, KEY_POLICY, null),
    entry(LIST_KEY_ROTATIONS, AccessLevel.LIST, KEY_POLICY, null),
    entry(LIST_KEYS, AccessLevel.LIST, NONE, null),
    entry(LIST_RESOURCE_TAGS, AccessLevel.LIST, KEY_POLICY, null),
    entry(LIST_RETIRABLE_GRANTS, AccessLevel.LIST, NONE, null),
    entry(PUT_KEY_POLICY, AccessLevel.PERMISSIONS_MANAGEMENT, KEY_POLICY, null),
    entry(
        RE_ENCRYPT_FROM,
        AccessLevel.WRITE,
        CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY,
        "ReEncryptFrom"),
    entry(
        RE_ENCRYPT_TO,
        AccessLevel.WRITE,
        CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY,
        "ReEncryptTo"),
    entry(REPLICATE_KEY, AccessLevel.WRITE, KEY_POLICY, null),
    entry(
        RETIRE_GRANT,
        AccessLevel.PERMISSIONS_MANAGEMENT,
        CROSS_ACCOUNT | KEY_POLICY,
        "RetireGrant"),
    entry(REVOKE_GRANT, AccessLevel.PERMISSIONS_MANAGEMENT, CROSS_ACCOUNT | KEY_POLICY, null),
    entry(ROTATE_KEY_ON_DEMAND, AccessLevel.WRITE, KEY_POLICY, null),
    entry(SCHEDULE_KEY_DELETION, AccessLevel.WRITE, KEY_POLICY, null),
    entry(SIGN, AccessLevel.WRITE, CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY, "Sign"),
    entry(SYNCHRONIZE_MULTI_REGION_KEY, AccessLevel.WRITE, KEY_POLICY, null),
    entry(TAG_RESOURCE, AccessLevel.TAGGING, KEY_POLICY, null),
    entry(UNTAG_RESOURCE, AccessLevel.TAGGING, KEY_POLICY, null),
    entry(UPDATE_ALIAS, AccessLevel.WRITE, KEY_POLICY, null),
    entry(UPDATE_CUSTOM_KEY_STORE, AccessLevel.WRITE, NONE, null),
    entry(UPDATE_KEY_DESCRIPTION, AccessLevel.WRITE, KEY_POLICY, null),
    entry(UPDATE_PRIMARY_REGION, AccessLevel.WRITE, KEY_POLICY, null),
    entry(VERIFY, AccessLevel.WRITE, CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY, "Verify"),
    entry(VERIFY_MAC, AccessLevel.WRITE, CRYPTOGRAPHIC | CROSS_ACCOUNT | KEY_POLICY, "VerifyMac"),
  };

  private static final Set<KmsAction> KNOWN = select(NONE);
  private static final Set<KmsAction> CRYPTOGRAPHIC_ACTIONS = select(CRYPTOGRAPHIC);
  private static final Set<KmsAction> CROSS_ACCOUNT_ACTIONS = select(CROSS_ACCOUNT);

  /**
   * Validates the name.
   *
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public KmsAction {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("action [] is empty; expected service:Action or *");
    }
  }

  /**
   * Returns the action named {@code name}, as written. Unknown names are accepted; use {@link
   * #lookup(String)} to insist on a catalog action.
   *
   * @throws IllegalArgumentException if {@code name} is empty
   */
  public static KmsAction of(String name) {
    return new KmsAction(name);
  }

  /**
   * Returns every KMS permission in the catalog, in canonical spelling, sorted by name. The set is
   * unmodifiable and iterates in the same order every time.
   */
  public static Set<KmsAction> known() {
    return KNOWN;
  }

  /**
   * Returns the catalog action whose name equals {@code name} ignoring case, in canonical spelling;
   * empty when there is none. Wildcards are not expanded: {@code kms:Get*} finds nothing.
   *
   * @param name an action name such as {@code kms:decrypt}
   */
  public static Optional<KmsAction> lookup(String name) {
    Objects.requireNonNull(name, "name");
    Entry entry = find(name);
    return entry == null ? Optional.empty() : Optional.of(entry.action());
  }

  /**
   * Returns the catalog actions that are cryptographic operations: Encrypt, Decrypt,
   * ReEncryptFrom/To, the GenerateDataKey and GenerateDataKeyPair families, Sign, Verify,
   * GenerateMac, VerifyMac, DeriveSharedSecret, Encapsulate and Decapsulate. Unmodifiable, sorted
   * by name.
   */
  public static Set<KmsAction> cryptographic() {
    return CRYPTOGRAPHIC_ACTIONS;
  }

  /**
   * Returns the catalog actions that a principal in another account can perform on a key, given
   * permission: the cryptographic operations plus CreateGrant, DescribeKey, GetKeyRotationStatus,
   * GetPublicKey, ListGrants, RetireGrant and RevokeGrant. Unmodifiable, sorted by name.
   */
  public static Set<KmsAction> crossAccount() {
    return CROSS_ACCOUNT_ACTIONS;
  }

  /**
   * Returns the catalog actions that at least one of {@code patterns} matches, sorted by name. This
   * is what an {@code Action} element allows or denies among the known KMS actions.
   *
   * @param patterns the actions or wildcard patterns of an {@code Action} element
   */
  public static Set<KmsAction> expandAll(Collection<KmsAction> patterns) {
    return selectMatching(patterns, true);
  }

  /**
   * Returns the catalog actions that none of {@code patterns} matches, sorted by name. This is what
   * a {@code NotAction} element covers among the known KMS actions; together with {@link
   * #expandAll(Collection)} of the same patterns it partitions {@link #known()}.
   *
   * @param patterns the actions or wildcard patterns of a {@code NotAction} element
   */
  public static Set<KmsAction> complementOf(Collection<KmsAction> patterns) {
    return selectMatching(patterns, false);
  }

  /** Returns whether the name holds a wildcard ({@code *} or {@code ?}). */
  public boolean isWildcard() {
    return Glob.hasWildcard(name);
  }

  /** Returns whether this action is in the {@code kms} namespace, or is {@code *}. */
  public boolean isKmsNamespace() {
    return name.equals("*") || name.regionMatches(true, 0, "kms:", 0, 4);
  }

  /** Returns whether this is a catalog action, spelled in any letter case (wildcards are not). */
  public boolean isKnown() {
    return find(name) != null;
  }

  /**
   * Returns the catalog spelling of this action ({@code KMS:decrypt} gives {@code kms:Decrypt}), or
   * this action itself when it is not in the catalog.
   */
  public KmsAction canonical() {
    Entry entry = find(name);
    return entry == null ? this : entry.action();
  }

  /**
   * Returns the access level the Service Authorization Reference gives this action; empty for an
   * action outside the catalog or a wildcard.
   */
  public Optional<AccessLevel> accessLevel() {
    Entry entry = find(name);
    return entry == null ? Optional.empty() : Optional.of(entry.accessLevel());
  }

  /**
   * Returns whether this is a catalog action that performs a cryptographic operation with a key.
   * {@link #GENERATE_RANDOM} is not one: it uses no key.
   *
   * @see #cryptographic()
   */
  public boolean isCryptographic() {
    return hasFlag(CRYPTOGRAPHIC);
  }

  /**
   * Returns whether this is a catalog action that a principal in another account can perform on a
   * key, when both the key policy and the caller's IAM policy allow it.
   *
   * @see #crossAccount()
   */
  public boolean isCrossAccount() {
    return hasFlag(CROSS_ACCOUNT);
  }

  /**
   * Returns whether a key policy can authorize this catalog action. It is false for actions that do
   * not act on a key, such as {@code kms:CreateKey}, {@code kms:ListKeys}, {@code kms:ListAliases},
   * {@code kms:GenerateRandom}, {@code kms:ListRetirableGrants} and the custom key store actions:
   * only IAM policies can allow those, so naming them in a key policy has no effect. False for an
   * action outside the catalog.
   */
  public boolean isKeyPolicyAuthorizable() {
    return hasFlag(KEY_POLICY);
  }

  /**
   * Returns the name of the grant operation that allows this action, such as {@code Decrypt} or
   * {@code ReEncryptFrom}; empty when grants cannot allow it or it is not in the catalog.
   *
   * @see <a
   *     href="https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#terms-grant-operations">Grant
   *     operations</a>
   */
  public Optional<String> grantOperation() {
    Entry entry = find(name);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.grantOperation());
  }

  /**
   * Returns whether this action, read as a pattern, matches {@code concrete}. See {@link
   * #matches(String)}.
   *
   * @param concrete the action requested, taken literally
   */
  public boolean matches(KmsAction concrete) {
    Objects.requireNonNull(concrete, "concrete");
    return matches(concrete.name);
  }

  /**
   * Returns whether this action, read as a pattern, matches the action named {@code actionName}. As
   * in IAM, letter case is ignored, {@code *} matches any run of characters and {@code ?} matches
   * exactly one, so {@code *} matches every action of every service and {@code kms:*Grant*} matches
   * {@code kms:CreateGrant} and {@code kms:ListRetirableGrants}. The argument is taken literally,
   * even if it holds {@code *} or {@code ?}. Allocates nothing.
   *
   * @param actionName the action requested, such as {@code kms:Decrypt}
   */
  public boolean matches(String actionName) {
    Objects.requireNonNull(actionName, "actionName");
    if (Glob.hasWildcard(name)) {
      return Glob.matches(name, actionName, true);
    }
    return name.equalsIgnoreCase(actionName);
  }

  /**
   * Returns the catalog actions this pattern matches, in canonical spelling and sorted by name. A
   * concrete catalog action gives itself, canonicalised; a concrete action outside the catalog
   * (including other services' actions) gives the empty set; {@code kms:*} and {@code *} give
   * {@link #known()}.
   */
  public Set<KmsAction> expand() {
    if (!Glob.hasWildcard(name)) {
      Entry entry = find(name);
      return entry == null ? Set.of() : Set.of(entry.action());
    }
    if (name.equals("*") || name.equalsIgnoreCase("kms:*")) {
      return KNOWN;
    }
    return selectMatching(List.of(this), true);
  }

  @Override
  public String toString() {
    return name;
  }

  private boolean hasFlag(int flag) {
    Entry entry = find(name);
    return entry != null && (entry.flags() & flag) != 0;
  }

  private static Entry entry(
      KmsAction action, AccessLevel accessLevel, int flags, @Nullable String grantOperation) {
    return new Entry(action, accessLevel, flags, grantOperation);
  }

  // Binary search over CATALOG, ignoring case; allocation-free so it can run per request.
  private static @Nullable Entry find(String name) {
    // Names as written are looked up once and remembered (bounded): the analysis asks about the
    // same few dozen spellings for every key of a snapshot.
    Integer cached = FOUND.get(name);
    if (cached != null) {
      return cached < 0 ? null : CATALOG[cached];
    }
    int index = binarySearch(name);
    if (FOUND.size() < MAX_CACHED) {
      FOUND.put(name, index);
    }
    return index < 0 ? null : CATALOG[index];
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, Integer> FOUND =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static int binarySearch(String name) {
    int low = 0;
    int high = CATALOG.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int cmp = String.CASE_INSENSITIVE_ORDER.compare(CATALOG[mid].action().name, name);
      if (cmp < 0) {
        low = mid + 1;
      } else if (cmp > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  // The catalog actions that have every flag in flags (all of them for NONE).
  private static Set<KmsAction> select(int flags) {
    checkSorted();
    Set<KmsAction> result = new LinkedHashSet<>();
    for (Entry entry : CATALOG) {
      if ((entry.flags() & flags) == flags) {
        result.add(entry.action());
      }
    }
    return Collections.unmodifiableSet(result);
  }

  private static Set<KmsAction> selectMatching(Collection<KmsAction> patterns, boolean matched) {
    Objects.requireNonNull(patterns, "patterns");
    if (CATALOG.length > 64) {
      return selectMatchingSlowly(patterns, matched);
    }
    long mask = 0;
    for (KmsAction pattern : patterns) {
      mask |= maskOf(Objects.requireNonNull(pattern, "patterns element"));
    }
    if (!matched) {
      mask = ~mask & (CATALOG.length == 64 ? -1L : (1L << CATALOG.length) - 1);
    }
    return setOf(mask);
  }

  // The catalog has fewer than 64 actions, so a set of catalog actions is a bit mask (bit i is
  // CATALOG[i]). Masks per pattern and sets per mask are cached: policies reuse a few dozen
  // patterns,
  // and analysis expands them for every key of a snapshot. Both caches are bounded so that
  // arbitrary
  // input cannot grow them without limit.
  private static final int MAX_CACHED = 4096;
  private static final java.util.concurrent.ConcurrentHashMap<String, Long> MASKS =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.concurrent.ConcurrentHashMap<Long, Set<KmsAction>> SETS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static long maskOf(KmsAction pattern) {
    Long cached = MASKS.get(pattern.name);
    if (cached != null) {
      return cached;
    }
    long mask = 0;
    for (int i = 0; i < CATALOG.length; i++) {
      if (pattern.matches(CATALOG[i].action().name)) {
        mask |= 1L << i;
      }
    }
    if (MASKS.size() < MAX_CACHED) {
      MASKS.put(pattern.name, mask);
    }
    return mask;
  }

  private static Set<KmsAction> setOf(long mask) {
    Set<KmsAction> cached = SETS.get(mask);
    if (cached != null) {
      return cached;
    }
    Set<KmsAction> result = new LinkedHashSet<>();
    for (int i = 0; i < CATALOG.length; i++) {
      if ((mask & (1L << i)) != 0) {
        result.add(CATALOG[i].action());
      }
    }
    Set<KmsAction> set = Collections.unmodifiableSet(result);
    if (SETS.size() < MAX_CACHED) {
      SETS.put(mask, set);
    }
    return set;
  }

  private static Set<KmsAction> selectMatchingSlowly(
      Collection<KmsAction> patterns, boolean matched) {
    List<KmsAction> list = new ArrayList<>(patterns.size());
    for (KmsAction pattern : patterns) {
      list.add(Objects.requireNonNull(pattern, "patterns element"));
    }
    Set<KmsAction> result = new LinkedHashSet<>();
    for (Entry entry : CATALOG) {
      if (anyMatches(list, entry.action().name) == matched) {
        result.add(entry.action());
      }
    }
    return Collections.unmodifiableSet(result);
  }

  private static boolean anyMatches(List<KmsAction> patterns, String actionName) {
    for (KmsAction pattern : patterns) {
      if (pattern.matches(actionName)) {
        return true;
      }
    }
    return false;
  }

  private static void checkSorted() {
    for (int i = 1; i < CATALOG.length; i++) {
      if (String.CASE_INSENSITIVE_ORDER.compare(
              CATALOG[i - 1].action().name, CATALOG[i].action().name)
          >= 0) {
        throw new IllegalStateException(
            String.format(
                "bug in kms-posture: action catalog is not sorted at [%s]",
                Arrays.asList(CATALOG[i - 1].action(), CATALOG[i].action())));
      }
    }
  }

  /** One catalog row: the canonical action and what AWS documents about it. */
  private record Entry(
      KmsAction action, AccessLevel accessLevel, int flags, @Nullable String grantOperation) {}
}
