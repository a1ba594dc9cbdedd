package dev.kmsposture.bench;

import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.AliasEntry;
import dev.kmsposture.snapshot.InventoryCoverage;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyReference;
import dev.kmsposture.snapshot.KeyReferenceResolver;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.ResourceProtection;
import dev.kmsposture.snapshot.ResourceSnapshot;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The resource inventory's own work, on one thread, over an account of {@code resources} resources
 * (10,000 to 100,000) and one key per ten resources, each key with an alias, in two Regions. The
 * references are written in every form services report them, in a fixed mix: key ids (30%), key
 * ARNs (30%), alias names (20%), alias ARNs (10%), another account's key ARNs (5%, resolved as
 * written) and another account's or predefined {@code aws/*} aliases (5%, unresolvable with the
 * reason). One operation is the whole account:
 *
 * <ul>
 *   <li>{@code resolveReferences}: builds the {@link KeyReferenceResolver} from the snapshot's
 *       aliases and resolves every reference — what the collectors do per resource;
 *   <li>{@code indexInventory}: {@link ResourceInventory#of} over every resource — the join that
 *       makes a key's resources and a resource's key each one look-up;
 *   <li>{@code checkInventoryRules}: the four rules that read the inventory ({@code
 *       ResourceKeyUnusable}, {@code AwsManagedKeyForSensitiveData}, {@code UnexplainedKey}, {@code
 *       ResourceServiceRefusedByViaService}) over the snapshot with its inventory, through {@link
 *       PostureEngine#check} — the join from every key to its resources, and the rules' verdicts.
 * </ul>
 *
 * <p>Time per operation; divide by {@code resources} for the cost per resource. After each
 * iteration the benchmark thread's CPU time per operation and per resource is printed too: on a
 * shared machine the wall-clock score depends on what else runs, this figure (much) less. The
 * collection itself (SDK calls and unmarshalling) is {@link InventoryCollectBenchmark}.
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar InventoryBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InventoryBenchmark {
  static final String ACCOUNT = "111122223333";
  static final String OTHER = "444455556666";
  static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");
  static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
  static final List<String> SERVICES =
      List.of("dynamodb", "ebs", "efs", "fsx", "logs", "rds", "s3", "secretsmanager", "sns", "sqs");

  /** The number of resources in the account. */
  @Param({"10000", "100000"})
  public int resources;

  private AccountSnapshot keys = account(0, new Random(1));
  private List<Written> written = List.of();
  private List<ResourceSnapshot> collected = List.of();
  private List<InventoryCoverage> coverage = List.of();
  private AccountSnapshot withInventory = keys;
  private PostureEngine engine = engine();
  private long iterationOps;
  private long iterationCpuNanos;

  /** A reference as a service wrote it, with the resource's Region. */
  record Written(String reference, String region) {}

  /** Creates the benchmark state; JMH calls this. */
  public InventoryBenchmark() {}

  /** Generates the account, the references and the resolved resources with a fixed seed. */
  @Setup
  public void setUp() {
    Random random = new Random(7);
    keys = account(Math.max(1, resources / 10), random);
    written = references(keys, resources, random);
    KeyReferenceResolver resolver = KeyReferenceResolver.of(keys);
    List<ResourceSnapshot> list = new ArrayList<>(resources);
    for (int i = 0; i < written.size(); i++) {
      list.add(
          resource(
              i,
              written.get(i),
              resolver.resolve(written.get(i).reference(), written.get(i).region()),
              random));
    }
    collected = List.copyOf(list);
    List<InventoryCoverage> complete = new ArrayList<>();
    for (String service : SERVICES) {
      for (String region : REGIONS) {
        complete.add(InventoryCoverage.complete(service, region));
      }
    }
    coverage = List.copyOf(complete);
    withInventory = keys.withInventory(ResourceInventory.of(SERVICES, coverage, collected));
    long resolved = resolveReferences();
    if (resolved < resources * 8L / 10 || resolved == resources) {
      throw new IllegalStateException(
          "the reference mix is off: " + resolved + " of " + resources + " resolved");
    }
  }

  /** Starts counting the iteration's operations and CPU time. */
  @Setup(Level.Iteration)
  public void startCpu() {
    iterationOps = 0;
    iterationCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /**
   * Prints the benchmark thread's CPU time per operation and per resource over the iteration.
   *
   * @param iteration the iteration that ended
   */
  @TearDown(Level.Iteration)
  public void cpuPerOperation(IterationParams iteration) {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - iterationCpuNanos;
    if (iterationOps > 0) {
      double perOp = cpu / 1e6 / iterationOps;
      System.out.printf(
          "  [%s] %.2f ms of CPU per operation, %.3f µs per resource%n",
          iteration.getType() == IterationType.MEASUREMENT ? "measured" : "warmup",
          perOp,
          perOp * 1e3 / resources);
    }
  }

  /**
   * Resolves every reference with a resolver built from the snapshot's aliases.
   *
   * @return how many resolved to a key ARN
   */
  @Benchmark
  public long resolveReferences() {
    iterationOps++;
    KeyReferenceResolver resolver = KeyReferenceResolver.of(keys);
    long resolved = 0;
    for (Written w : written) {
      if (resolver.resolve(w.reference(), w.region()).isResolved()) {
        resolved++;
      }
    }
    return resolved;
  }

  /**
   * Builds the inventory, with its indexes by key and by resource, from every resource.
   *
   * @return the inventory
   */
  @Benchmark
  public ResourceInventory indexInventory() {
    iterationOps++;
    return ResourceInventory.of(SERVICES, coverage, collected);
  }

  /**
   * Checks the snapshot with its inventory against the four inventory rules.
   *
   * @return the report
   */
  @Benchmark
  public PostureReport checkInventoryRules() {
    iterationOps++;
    return engine.check(withInventory);
  }

  private static PostureEngine engine() {
    return PostureEngine.builder()
        .ruleSet(
            RuleSet.of(
                KmsPostureRules.RESOURCE_KEY_UNUSABLE,
                KmsPostureRules.AWS_MANAGED_KEY_FOR_SENSITIVE_DATA,
                KmsPostureRules.UNEXPLAINED_KEY,
                KmsPostureRules.RESOURCE_SERVICE_REFUSED_BY_VIA_SERVICE))
        .build();
  }

  static AccountSnapshot account(int n, Random random) {
    List<KeySnapshot> list = new ArrayList<>(n);
    List<AliasEntry> aliases = new ArrayList<>(n + 4);
    for (int i = 0; i < n; i++) {
      String region = REGIONS.get(i % 2);
      String id = keyId(i);
      boolean awsManaged = i % 20 == 0;
      int state = random.nextInt(100);
      String keyState = state < 3 ? "PendingDeletion" : state < 6 ? "Disabled" : "Enabled";
      list.add(
          KeySnapshot.builder(
                  arn(region, id),
                  KeyMetadata.builder()
                      .keyManager(awsManaged ? "AWS" : "CUSTOMER")
                      .keySpec("SYMMETRIC_DEFAULT")
                      .keyUsage("ENCRYPT_DECRYPT")
                      .origin("AWS_KMS")
                      .keyState(keyState)
                      .creationDate(NOW.minus(Duration.ofDays(30 + random.nextInt(900))))
                      .deletionDate(
                          keyState.equals("PendingDeletion") ? NOW.plus(Duration.ofDays(7)) : null)
                      .pendingDeletionWindowInDays(keyState.equals("PendingDeletion") ? 30 : null)
                      .description("data key " + i)
                      .build())
              .build());
      aliases.add(
          new AliasEntry(awsManaged ? "alias/aws/service-" + i : "alias/app-" + i, region, id));
    }
    for (String region : REGIONS) {
      aliases.add(new AliasEntry("alias/aws/s3", region, null));
      aliases.add(new AliasEntry("alias/aws/secretsmanager", region, null));
    }
    return AccountSnapshot.builder()
        .account(ACCOUNT)
        .regions(REGIONS)
        .capturedAt(NOW)
        .keys(list)
        .aliases(aliases)
        .trails(List.of())
        .build();
  }

  static List<Written> references(AccountSnapshot account, int n, Random random) {
    int keys = account.keys().size();
    List<Written> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int k = random.nextInt(keys);
      String region = REGIONS.get(k % 2);
      String id = keyId(k);
      String alias = k % 20 == 0 ? "alias/aws/service-" + k : "alias/app-" + k;
      int form = random.nextInt(100);
      String reference;
      if (form < 30) {
        reference = id;
      } else if (form < 60) {
        reference = arn(region, id);
      } else if (form < 80) {
        reference = alias;
      } else if (form < 90) {
        reference = "arn:aws:kms:" + region + ":" + ACCOUNT + ":" + alias;
      } else if (form < 95) {
        reference = "arn:aws:kms:" + region + ":" + OTHER + ":key/" + id;
      } else if (form < 98) {
        reference = "arn:aws:kms:" + region + ":" + OTHER + ":alias/shared";
      } else {
        reference = "alias/aws/s3";
      }
      out.add(new Written(reference, region));
    }
    return out;
  }

  private static ResourceSnapshot resource(int i, Written w, KeyReference ref, Random random) {
    String service = SERVICES.get(i % SERVICES.size());
    ResourceSnapshot.Builder b =
        ResourceSnapshot.builder(
                "arn:aws:" + service + ":" + w.region() + ":" + ACCOUNT + ":resource/r-" + i,
                service,
                "resource",
                w.region())
            .encryption("aws:kms", protection(ref))
            .key(ref);
    if (random.nextInt(10) == 0) {
      b.tags(Map.of("DataClassification", "restricted"));
    }
    return b.build();
  }

  private static ResourceProtection protection(KeyReference ref) {
    if (ref.namesAwsManagedAlias()) {
      return ResourceProtection.AWS_MANAGED_KEY;
    }
    return ref.isResolved() ? ResourceProtection.CUSTOMER_MANAGED_KEY : ResourceProtection.KMS_KEY;
  }

  static String keyId(int i) {
    return String.format("%08x-0000-4000-8000-%012x", i, (long) i * 7919L);
  }

  static String arn(String region, String id) {
    return "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + id;
  }
}
