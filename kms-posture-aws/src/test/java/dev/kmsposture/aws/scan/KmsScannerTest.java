package dev.kmsposture.aws.scan;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyRotation;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.testkit.kms.JournalEntry;
import dev.kmsposture.testkit.kms.SeedGrant;
import dev.kmsposture.testkit.kms.SeedKey;
import dev.kmsposture.testkit.kms.SeedReplica;
import dev.kmsposture.testkit.kms.SeedRotation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scanner against the embedded KMS over real HTTP, with the real SDK clients, on an account
 * seeded with every kind of key and list pages of two items.
 */
class KmsScannerTest {
  private static final int PAGE = 2;
  private static final int EXTRA = 9;

  /** Read-only operations: everything a scan may call. */
  private static final Set<String> READ_ONLY =
      Set.of(
          "ListKeys",
          "ListAliases",
          "DescribeKey",
          "GetKeyPolicy",
          "ListResourceTags",
          "ListGrants",
          "GetKeyRotationStatus",
          "ListKeyRotations",
          "GetKeyLastUsage");

  private static SeededAccount account;
  private static ScanResult result;

  @BeforeAll
  static void scan() {
    account = SeededAccount.start(PAGE, EXTRA);
    account.kms.journal().clear();
    result = account.scanner().build().scanWithStatistics();
  }

  @AfterAll
  static void stop() {
    account.close();
  }

  @Test
  void scan_seededAccount_snapshotEqualsTheSeed() {
    AccountSnapshot snapshot = result.snapshot();
    List<Expected> expected = expected(account.seedKeys);

    assertThat(snapshot.account()).isEqualTo(SeededAccount.ACCOUNT);
    assertThat(snapshot.partition()).isEqualTo("aws");
    assertThat(snapshot.regions()).containsExactly("eu-west-1", "us-east-1");
    assertThat(snapshot.capturedAt()).isEqualTo(SeededAccount.NOW);
    assertThat(snapshot.collectionErrors()).isEmpty();
    assertThat(snapshot.keys())
        .extracting(KeySnapshot::arn)
        .containsExactlyElementsOf(expected.stream().map(Expected::arn).sorted().toList());
    for (Expected e : expected) {
      KeySnapshot key = snapshot.key(e.arn()).orElseThrow();
      assertKey(key, e);
    }
  }

  @Test
  void scan_seededAccount_aliasesOfTheAccountAreEveryAliasListed() {
    Map<String, String> byName =
        result.snapshot().aliases().stream()
            .filter(a -> a.targetKeyId() != null)
            .collect(Collectors.toMap(a -> a.region() + " " + a.aliasName(), a -> a.targetKeyId()));
    for (SeedKey k : account.seedKeys) {
      for (String alias : k.aliases()) {
        assertThat(byName).containsEntry(k.region() + " " + alias, k.keyId().orElseThrow());
      }
      for (SeedReplica r : k.replicas()) {
        for (String alias : r.aliases()) {
          assertThat(byName).containsEntry(r.region() + " " + alias, k.keyId().orElseThrow());
        }
      }
    }
  }

  @Test
  void scan_journal_showsNoMutatingCallAndNoCallBeyondThePlan() {
    List<JournalEntry> entries = account.kms.journal().entries();

    assertThat(entries).allSatisfy(e -> assertThat(e.readOnly()).as(e.operation()).isTrue());
    assertThat(entries).extracting(JournalEntry::operation).allMatch(READ_ONLY::contains);
    assertThat(entries).allMatch(JournalEntry::succeeded);
    assertThat(count(entries)).isEqualTo(plan(account.seedKeys));
  }

  @Test
  void scan_statistics_countTheCallsTheJournalSaw() {
    ScanStatistics s = result.statistics();
    Map<String, Long> journal = count(account.kms.journal().entries());

    Map<String, Long> kmsCalls = new TreeMap<>(s.callsByOperation());
    kmsCalls.remove("GetCallerIdentity");
    assertThat(kmsCalls).isEqualTo(journal);
    assertThat(s.keys()).isEqualTo(result.snapshot().keys().size());
    assertThat(s.keysWithUnreadableParts()).isZero();
    assertThat(s.retryModes()).containsEntry("kms us-east-1", "ADAPTIVE_V2");
    assertThat(s.busiestQuota()).endsWith("GetKeyLastUsage");
    assertThat(s.callsPerKey()).isGreaterThan(1);
  }

  // ---- the plan: what the scan must call, worked out from the seed alone

  private static Map<String, Long> plan(List<SeedKey> seed) {
    Map<String, Long> plan = new TreeMap<>();
    Map<String, Integer> keysPerRegion = new TreeMap<>();
    Map<String, Integer> aliasesPerRegion = new TreeMap<>();
    for (String region : List.of("us-east-1", "eu-west-1")) {
      keysPerRegion.put(region, 0);
      // the embedded KMS lists the aliases of AWS managed keys that do not exist yet
      aliasesPerRegion.put(region, AWS_ALIASES);
    }
    for (Expected e : expected(seed)) {
      keysPerRegion.merge(e.region(), 1, Integer::sum);
      aliasesPerRegion.merge(
          e.region(),
          (int) e.aliases().stream().filter(a -> !a.startsWith("alias/aws/")).count(),
          Integer::sum);
      add(plan, "DescribeKey", 1);
      if (!e.customer()) {
        continue;
      }
      add(plan, "GetKeyPolicy", 1);
      add(plan, "ListResourceTags", pages(e.tags().size()));
      add(plan, "ListGrants", pages(e.grants().size()));
      add(plan, "GetKeyLastUsage", 1);
      if (e.rotatesAutomatically()) {
        add(plan, "GetKeyRotationStatus", 1);
      }
      if (e.listsRotations()) {
        add(plan, "ListKeyRotations", pages(e.rotationEntries()));
      }
    }
    keysPerRegion.values().forEach(n -> add(plan, "ListKeys", pages(n)));
    aliasesPerRegion.values().forEach(n -> add(plan, "ListAliases", pages(n)));
    return plan;
  }

  /** The aws/ aliases the embedded KMS lists in every Region (as AWS does). */
  private static final int AWS_ALIASES = 14;

  private static long pages(int items) {
    return Math.max(1, (items + PAGE - 1) / PAGE);
  }

  private static void add(Map<String, Long> plan, String operation, long n) {
    plan.merge(operation, n, Long::sum);
  }

  private static Map<String, Long> count(List<JournalEntry> entries) {
    return entries.stream()
        .collect(
            Collectors.groupingBy(JournalEntry::operation, TreeMap::new, Collectors.counting()));
  }

  // ---- the expected keys, from the seed alone

  record Expected(
      String arn,
      String region,
      boolean customer,
      String keySpec,
      String keyUsage,
      String origin,
      String state,
      String description,
      Instant created,
      @Nullable Instant deletionDate,
      @Nullable String multiRegionType,
      String primaryArn,
      List<String> replicaArns,
      List<String> aliases,
      Map<String, String> tags,
      @Nullable String policy,
      boolean rotationEnabled,
      int rotationPeriod,
      List<SeedRotation> rotations,
      boolean imported,
      List<SeedGrant> grants,
      @Nullable String lastOperation,
      @Nullable Instant lastUsedAt) {

    boolean rotatesAutomatically() {
      return customer && keySpec.equals("SYMMETRIC_DEFAULT") && origin.equals("AWS_KMS");
    }

    boolean listsRotations() {
      return customer && keySpec.equals("SYMMETRIC_DEFAULT");
    }

    /** ListKeyRotations entries: rotations, and for imported material the initial material too. */
    int rotationEntries() {
      return rotations.size() + (imported ? 1 : 0);
    }
  }

  static List<Expected> expected(List<SeedKey> seed) {
    List<Expected> out = new ArrayList<>();
    for (SeedKey k : seed) {
      String id = k.keyId().orElseThrow();
      String arn = arn(k.region(), k.account(), id);
      List<String> replicaArns =
          k.replicas().stream().map(r -> arn(r.region(), k.account(), id)).toList();
      out.add(
          new Expected(
              arn,
              k.region(),
              !k.isAwsManaged(),
              k.keySpec(),
              k.keyUsage(),
              k.origin(),
              k.state(),
              k.description(),
              k.creationDate().orElseThrow(),
              k.deletionDate().orElse(null),
              k.isMultiRegion() ? "PRIMARY" : null,
              arn,
              replicaArns,
              k.aliases().stream().sorted().toList(),
              k.tags(),
              k.policy().orElse(null),
              k.isRotationEnabled(),
              k.rotationPeriodInDays(),
              k.rotations(),
              k.origin().equals("EXTERNAL"),
              k.grants(),
              k.lastUsedOperation().orElse(null),
              k.lastUsedAt().orElse(null)));
      for (SeedReplica r : k.replicas()) {
        out.add(
            new Expected(
                arn(r.region(), k.account(), id),
                r.region(),
                !k.isAwsManaged(),
                k.keySpec(),
                k.keyUsage(),
                k.origin(),
                r.state(),
                r.description(),
                r.creationDate().orElseThrow(),
                r.deletionDate().orElse(null),
                "REPLICA",
                arn,
                replicaArns,
                r.aliases().stream().sorted().toList(),
                r.tags(),
                r.policy().orElse(null),
                k.isRotationEnabled(),
                k.rotationPeriodInDays(),
                k.rotations(),
                k.origin().equals("EXTERNAL"),
                List.of(),
                r.lastUsedOperation().orElse(null),
                r.lastUsedAt().orElse(null)));
      }
    }
    return out;
  }

  private static String arn(String region, String account, String id) {
    return "arn:aws:kms:" + region + ":" + account + ":key/" + id;
  }

  private static void assertKey(KeySnapshot key, Expected e) {
    String name = e.arn();
    KeyMetadata m = key.metadata();
    assertThat(key.region()).as(name).isEqualTo(e.region());
    assertThat(key.unreadable()).as(name + " unreadable").isEmpty();
    assertThat(m.keyManager()).as(name).isEqualTo(e.customer() ? "CUSTOMER" : "AWS");
    assertThat(m.keySpec()).as(name).isEqualTo(e.keySpec());
    assertThat(m.keyUsage()).as(name).isEqualTo(e.keyUsage());
    assertThat(m.origin()).as(name).isEqualTo(e.origin());
    assertThat(m.keyState()).as(name).isEqualTo(e.state());
    assertThat(m.description()).as(name).isEqualTo(e.description());
    assertThat(m.creationDate()).as(name).isEqualTo(e.created());
    assertThat(m.deletionDate()).as(name).isEqualTo(e.deletionDate());
    if (e.multiRegionType() == null) {
      assertThat(m.multiRegion()).as(name).isNull();
    } else {
      MultiRegionConfiguration multiRegion = requireNonNull(m.multiRegion());
      assertThat(multiRegion.keyType()).as(name).isEqualTo(e.multiRegionType());
      assertThat(multiRegion.primaryKey().arn()).as(name).isEqualTo(e.primaryArn());
      assertThat(multiRegion.replicaKeys())
          .as(name)
          .extracting(k -> k.arn())
          .containsExactlyInAnyOrderElementsOf(e.replicaArns());
    }
    assertThat(key.aliases()).as(name).isEqualTo(e.aliases());
    if (!e.customer()) {
      // AWS managed: DescribeKey only
      assertThat(key.policy()).as(name).isNull();
      assertThat(key.tags()).as(name).isNull();
      assertThat(key.grants()).as(name).isNull();
      assertThat(key.rotation()).as(name).isNull();
      assertThat(key.lastUsage()).as(name).isNull();
      return;
    }
    assertThat(key.tags()).as(name).isEqualTo(e.tags());
    if (e.policy() != null) {
      assertThat(key.policy()).as(name).isEqualTo(e.policy());
    } else {
      assertThat(key.policy()).as(name).contains("arn:aws:iam::" + SeededAccount.ACCOUNT + ":root");
    }
    if (e.rotatesAutomatically()) {
      boolean enabled = e.rotationEnabled() && !m.isPendingDeletion();
      assertThat(requireNonNull(key.rotation()).enabled()).as(name).isEqualTo(enabled);
      assertThat(requireNonNull(key.rotation()).rotationPeriodInDays())
          .as(name)
          .isEqualTo(enabled ? e.rotationPeriod() : null);
    } else {
      assertThat(key.rotation())
          .as(name + " rotation is not asked of a key that cannot rotate")
          .isNull();
    }
    if (e.listsRotations()) {
      List<KeyRotation> rotations =
          requireNonNull(key.rotations()).stream().filter(r -> r.rotationDate() != null).toList();
      assertThat(rotations)
          .as(name)
          .extracting(r -> r.rotationDate() + " " + r.rotationType())
          .containsExactlyElementsOf(
              e.rotations().stream().map(r -> r.date() + " " + r.type()).toList());
      if (e.imported()) {
        assertThat(key.rotations())
            .as(name + " lists its imported material")
            .anyMatch(
                r -> "IMPORTED".equals(r.importState()) && "CURRENT".equals(r.keyMaterialState()));
      }
    } else {
      assertThat(key.rotations()).as(name).isNull();
    }
    assertThat(key.grants()).as(name).hasSameSizeAs(e.grants());
    for (SeedGrant g : e.grants()) {
      KeyGrant found =
          requireNonNull(key.grants()).stream()
              .filter(
                  k ->
                      g.grantId().map(k.grantId()::equals).orElse(true)
                          && k.granteePrincipal().equals(g.granteePrincipal()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(name + ": grant missing: " + g));
      assertThat(found.operations()).as(name).containsExactlyInAnyOrderElementsOf(g.operations());
      assertThat(found.encryptionContextEquals()).isEqualTo(g.encryptionContextEquals());
      assertThat(found.encryptionContextSubset()).isEqualTo(g.encryptionContextSubset());
      assertThat(found.name()).isEqualTo(g.name().orElse(null));
      assertThat(found.retiringPrincipal()).isEqualTo(g.retiringPrincipal().orElse(null));
    }
    assertThat(key.lastUsage()).as(name).isNotNull();
    assertThat(requireNonNull(key.lastUsage()).lastUsedAt()).as(name).isEqualTo(e.lastUsedAt());
    assertThat(key.lastUsage().operation()).as(name).isEqualTo(e.lastOperation());
    assertThat(key.lastUsage().trackingStartDate())
        .as(name + " tracking starts at the later of tracking start and creation")
        .isEqualTo(
            e.created().isAfter(SeededAccount.TRACKING) ? e.created() : SeededAccount.TRACKING);
  }
}
