package dev.kmsposture.testkit.generators;

import static dev.kmsposture.testkit.generators.Generators.pick;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.kmsposture.access.Grant;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionKey;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.Effect;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.snapshot.RotationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Generates key snapshots of every key kind (each valid key spec and usage pair) and every key
 * state, with consistent metadata: {@code PendingImport} keys have imported material, {@code
 * Unavailable} keys live in a custom key store, {@code PendingReplicaDeletion}, {@code Creating}
 * and {@code Updating} keys are multi-Region, keys pending deletion have a deletion date and
 * window. Customer managed and AWS managed keys; rotation status where KMS reports it; aliases,
 * tags, the key policy (from {@link #withPolicies(Generator)}), grants and last usage, each part
 * sometimes unreadable (null, with the reason).
 *
 * <p>The edge cases are one key in each state, an AWS managed key, and a key whose every optional
 * part is unreadable.
 *
 * @since 0.1.0
 */
@CheckReturnValue
public final class KeySnapshotGenerator implements Generator<KeySnapshot> {
  static final List<String> REGIONS = List.of("us-east-1", "eu-west-1", "ap-southeast-2");
  private static final String CUSTOM_KEY_STORE = "cks-1234567890abcdef0";

  private final Settings settings;
  private final Generator<KeyPolicy> policies;

  KeySnapshotGenerator(Settings settings, Generator<KeyPolicy> policies) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.policies = Objects.requireNonNull(policies, "policies");
  }

  /**
   * Returns a generator of keys in {@code account} (their policies too, unless set with {@link
   * #withPolicies(Generator)} afterwards).
   *
   * @param account the keys' account
   * @return the configured generator
   */
  public KeySnapshotGenerator forAccount(AccountId account) {
    Settings s = settings.withAccount(account);
    return new KeySnapshotGenerator(s, new KeyPolicyGenerator(s));
  }

  /**
   * Returns a generator whose customer managed keys carry policies from {@code policies}.
   *
   * @param policies the key policies
   * @return the configured generator
   */
  public KeySnapshotGenerator withPolicies(Generator<KeyPolicy> policies) {
    return new KeySnapshotGenerator(settings, policies);
  }

  @Override
  public KeySnapshot generate(RandomGenerator random, int size) {
    String state = pick(random, Vocabulary.KEY_STATES);
    boolean awsManaged = state.equals("Enabled") && random.nextInt(6) == 0;
    return key(state, awsManaged, random, size);
  }

  private KeySnapshot key(String state, boolean awsManaged, RandomGenerator random, int size) {
    Settings s = settings;
    // What the state requires of the key: KMS reports these states only for such keys.
    boolean needsImport = state.equals("PendingImport");
    boolean needsCustomStore = state.equals("Unavailable");
    boolean needsMultiRegion =
        state.equals("PendingReplicaDeletion")
            || state.equals("Creating")
            || state.equals("Updating");
    List<String> kind =
        awsManaged || needsImport || needsCustomStore
            ? Vocabulary.KEY_KINDS.get(0)
            : pick(random, Vocabulary.KEY_KINDS);
    boolean symmetric = kind.get(0).equals("SYMMETRIC_DEFAULT");
    String origin;
    if (needsImport) {
      origin = "EXTERNAL";
    } else if (needsCustomStore) {
      origin = random.nextBoolean() ? "AWS_CLOUDHSM" : "EXTERNAL_KEY_STORE";
    } else if (symmetric && !awsManaged && !needsMultiRegion && random.nextInt(4) == 0) {
      origin = pick(random, List.of("EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"));
    } else {
      origin = "AWS_KMS";
    }
    boolean customStore = origin.equals("AWS_CLOUDHSM") || origin.equals("EXTERNAL_KEY_STORE");
    boolean multiRegion =
        needsMultiRegion || (!customStore && !awsManaged && random.nextInt(5) == 0);
    String keyType =
        state.equals("PendingReplicaDeletion")
            ? "PRIMARY"
            : state.equals("Creating") ? "REPLICA" : random.nextBoolean() ? "PRIMARY" : "REPLICA";
    String region = pick(random, REGIONS);
    String keyId = multiRegion ? "mrk-" + hex(random, 32) : uuid(random);
    String arn = arn(s, region, keyId);
    Instant created = KmsGenerators.CAPTURED_AT.minus(Duration.ofDays(1 + random.nextInt(2000)));
    MultiRegionConfiguration mr = null;
    if (multiRegion) {
      String otherRegion = REGIONS.get((REGIONS.indexOf(region) + 1) % REGIONS.size());
      MultiRegionConfiguration.MultiRegionKey self =
          new MultiRegionConfiguration.MultiRegionKey(arn, region);
      MultiRegionConfiguration.MultiRegionKey other =
          new MultiRegionConfiguration.MultiRegionKey(arn(s, otherRegion, keyId), otherRegion);
      mr =
          keyType.equals("PRIMARY")
              ? new MultiRegionConfiguration("PRIMARY", self, List.of(other))
              : new MultiRegionConfiguration("REPLICA", other, List.of(self));
    }
    boolean pendingDeletion = state.equals("PendingDeletion");
    Integer window = pendingDeletion ? 7 + random.nextInt(24) : null;
    Instant deletionDate =
        window != null
            ? KmsGenerators.CAPTURED_AT.plus(Duration.ofDays(1 + random.nextInt(window)))
            : null;
    String expirationModel = null;
    Instant validTo = null;
    if (origin.equals("EXTERNAL")) {
      if (needsImport || random.nextBoolean()) {
        expirationModel = "KEY_MATERIAL_EXPIRES";
        validTo =
            KmsGenerators.CAPTURED_AT.plus(
                Duration.ofDays(needsImport ? -1 - random.nextInt(30) : 1 + random.nextInt(400)));
      } else {
        expirationModel = "KEY_MATERIAL_DOES_NOT_EXPIRE";
      }
    }
    KeyMetadata metadata =
        KeyMetadata.builder()
            .keyManager(awsManaged ? "AWS" : "CUSTOMER")
            .keySpec(kind.get(0))
            .keyUsage(kind.get(1))
            .origin(origin)
            .customKeyStoreId(customStore ? CUSTOM_KEY_STORE : null)
            .keyState(state)
            .creationDate(created)
            .deletionDate(deletionDate)
            .pendingDeletionWindowInDays(window)
            .description(
                random.nextInt(3) == 0
                    ? ""
                    : "Data key for " + pick(random, List.of("S3", "RDS", "logs")))
            .multiRegion(mr)
            .expirationModel(expirationModel)
            .validTo(validTo)
            .build();
    KeySnapshot.Builder b = KeySnapshot.builder(arn, metadata);
    if (awsManaged) {
      String alias = pick(random, Vocabulary.AWS_MANAGED_ALIASES);
      b.aliases(List.of("alias/" + alias))
          .tags(Map.of())
          .policy(awsManagedPolicy(s, alias.substring(4), region).toJson())
          .rotation(new RotationStatus(true, 365, created.plus(Duration.ofDays(365)), null));
    } else {
      if (random.nextInt(10) == 0) {
        b.unreadable(KeyPart.ALIASES, "AccessDeniedException: not authorized to kms:ListAliases");
      } else {
        List<String> aliases = new ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
          String a = "alias/" + pick(random, Vocabulary.CUSTOMER_ALIASES);
          if (!aliases.contains(a)) {
            aliases.add(a);
          }
        }
        b.aliases(aliases);
      }
      b.tags(tags(random));
      if (random.nextInt(10) == 0) {
        b.unreadable(KeyPart.POLICY, "AccessDeniedException: not authorized to kms:GetKeyPolicy");
      } else {
        b.policy(policies.generate(random, size).toJson());
      }
      b.rotation(rotation(symmetric, origin, created, random));
      if (random.nextInt(10) == 0) {
        b.unreadable(KeyPart.GRANTS, "AccessDeniedException: not authorized to kms:ListGrants");
      } else {
        b.grants(grants(random, size));
      }
    }
    b.lastUsage(
        new KeyLastUsage(
            random.nextBoolean()
                ? KmsGenerators.CAPTURED_AT.minus(Duration.ofHours(1 + random.nextInt(5000)))
                : null,
            random.nextBoolean() ? "Decrypt" : null,
            KmsGenerators.CAPTURED_AT.minus(Duration.ofDays(200))));
    return b.build();
  }

  private @Nullable RotationStatus rotation(
      boolean symmetric, String origin, Instant created, RandomGenerator random) {
    if (symmetric && origin.equals("AWS_KMS")) {
      boolean enabled = random.nextInt(3) != 0;
      int period = random.nextBoolean() ? 365 : 90 + random.nextInt(2471);
      return enabled
          ? new RotationStatus(true, period, created.plus(Duration.ofDays(period)), null)
          : new RotationStatus(false, null, null, null);
    }
    // Asymmetric and HMAC keys report false; imported and custom-store keys refuse the call.
    return origin.equals("AWS_KMS") ? new RotationStatus(false, null, null, null) : null;
  }

  private Map<String, String> tags(RandomGenerator random) {
    Map<String, String> tags = new TreeMap<>();
    if (random.nextBoolean()) {
      tags.put("Environment", pick(random, List.of("prod", "dev", "staging")));
    }
    if (random.nextBoolean()) {
      tags.put("team", pick(random, List.of("payments", "platform")));
    }
    return tags;
  }

  private List<KeyGrant> grants(RandomGenerator random, int size) {
    GrantGenerator g = new GrantGenerator(settings);
    int n = Generators.length(random, size, 0, 3);
    List<KeyGrant> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(keyGrant(g.generate(random, size), KmsGenerators.CAPTURED_AT));
    }
    return out;
  }

  static KeyGrant keyGrant(Grant g, Instant created) {
    // The one conversion between the two grant models (see KeyGrant): an evaluator's grant as
    // ListGrants would list it.
    return KeyGrant.builder()
        .grantId(g.grantId())
        .name(g.name())
        .granteePrincipal(g.granteePrincipal())
        .retiringPrincipal(g.retiringPrincipal())
        .issuingAccount(g.issuingAccount())
        .operations(g.operations())
        .encryptionContextEquals(g.encryptionContextEquals())
        .encryptionContextSubset(g.encryptionContextSubset())
        .creationDate(created)
        .build();
  }

  /**
   * The shape of an AWS managed key's policy: use through one service, by callers of the account.
   */
  static KeyPolicy awsManagedPolicy(Settings s, String service, String region) {
    String account = s.account().value();
    return KeyPolicy.builder()
        .addStatement(
            Statement.builder()
                .sid("Allow access through " + service + " for all principals in the account")
                .effect(Effect.ALLOW)
                .addPrincipal(Principal.aws("*"))
                .actions(
                    List.of(
                        KmsAction.ENCRYPT,
                        KmsAction.DECRYPT,
                        KmsAction.of("kms:ReEncrypt*"),
                        KmsAction.of("kms:GenerateDataKey*"),
                        KmsAction.DESCRIBE_KEY))
                .addResource("*")
                .addCondition(
                    Condition.of(
                        ConditionOperator.STRING_EQUALS,
                        ConditionKey.of("kms:CallerAccount"),
                        account))
                .addCondition(
                    Condition.of(
                        ConditionOperator.STRING_EQUALS,
                        ConditionKey.of("kms:ViaService"),
                        service + "." + region + ".amazonaws.com"))
                .build())
        .addStatement(
            Statement.builder()
                .sid("Allow direct access to key metadata to the account")
                .effect(Effect.ALLOW)
                .addPrincipal(PrincipalGenerator.root(s, s.account()))
                .actions(
                    List.of(
                        KmsAction.DESCRIBE_KEY,
                        KmsAction.of("kms:Get*"),
                        KmsAction.of("kms:List*"),
                        KmsAction.of("kms:RevokeGrant")))
                .addResource("*")
                .build())
        .build();
  }

  static String arn(Settings s, String region, String keyId) {
    return "arn:" + s.partition() + ":kms:" + region + ":" + s.account().value() + ":key/" + keyId;
  }

  static String hex(RandomGenerator random, int digits) {
    StringBuilder b = new StringBuilder(digits);
    for (int i = 0; i < digits; i++) {
      b.append(Character.forDigit(random.nextInt(16), 16));
    }
    return b.toString();
  }

  static String uuid(RandomGenerator random) {
    String h = hex(random, 32);
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-"
        + h.substring(12, 16)
        + "-"
        + h.substring(16, 20)
        + "-"
        + h.substring(20);
  }

  @Override
  public List<KeySnapshot> edgeCases() {
    // Fixed draws: the edge cases are the same every time.
    List<KeySnapshot> out = new ArrayList<>();
    long seed = 0;
    for (String state : Vocabulary.KEY_STATES) {
      out.add(key(state, false, new java.util.SplittableRandom(seed++), 1));
    }
    out.add(key("Enabled", true, new java.util.SplittableRandom(seed++), 1));
    String keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";
    KeySnapshot blank =
        KeySnapshot.builder(
                arn(settings, settings.region(), keyId),
                KeyMetadata.builder()
                    .keyManager("CUSTOMER")
                    .keySpec("SYMMETRIC_DEFAULT")
                    .keyUsage("ENCRYPT_DECRYPT")
                    .origin("AWS_KMS")
                    .keyState("Enabled")
                    .creationDate(KmsGenerators.CAPTURED_AT.minus(Duration.ofDays(30)))
                    .build())
            .unreadable(KeyPart.POLICY, "AccessDeniedException")
            .unreadable(KeyPart.ROTATION, "AccessDeniedException")
            .unreadable(KeyPart.TAGS, "AccessDeniedException")
            .unreadable(KeyPart.ALIASES, "AccessDeniedException")
            .unreadable(KeyPart.GRANTS, "AccessDeniedException")
            .build();
    out.add(blank);
    return out;
  }
}
