package dev.kmsposture.aws.internal;

import dev.kmsposture.aws.scan.ScanException;
import dev.kmsposture.aws.scan.ScanOptions;
import dev.kmsposture.aws.scan.ScanResult;
import dev.kmsposture.aws.scan.ScanStatistics;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.AliasEntry;
import dev.kmsposture.snapshot.CollectionError;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.TrailSnapshot;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.ListAliasesRequest;
import software.amazon.awssdk.services.kms.model.ListAliasesResponse;
import software.amazon.awssdk.services.kms.model.ListKeysRequest;
import software.amazon.awssdk.services.kms.model.ListKeysResponse;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * One scan of one account: lists every Region's aliases and keys, reads the keys on a bounded pool
 * of threads within the account's rate limits, reads CloudTrail, and assembles the snapshot.
 *
 * <p>Regions are listed concurrently (up to the Region concurrency); their keys go to one pool of
 * key readers as they are listed, so Regions share the readers while each spends its own quota
 * buckets. Nothing listed is dropped: a key whose reading failed or did not finish in time is in
 * the snapshot with what could not be read, and a Region that failed is a collection error.
 */
public final class AccountScan {
  private static final Logger LOG = LoggerFactory.getLogger(AccountScan.class);

  /** What a scan is given. */
  public record Setup(
      @Nullable String account,
      List<Region> regions,
      Function<Region, KmsClient> kms,
      @Nullable Function<Region, CloudTrailClient> cloudTrail,
      @Nullable StsClient sts,
      ScanOptions options,
      Clock clock,
      ProgressTracker progress,
      String threadName) {
    /** Copies the Regions. */
    public Setup {
      regions = List.copyOf(regions);
    }
  }

  private record Listed(String keyId, String keyArn, Future<KeySnapshot> snapshot) {}

  private record RegionResult(Region region, List<AliasEntry> aliases, List<Listed> keys) {}

  private final Setup setup;
  private final ScanOptions options;
  private final ScanDeadline deadline;
  private final QuotaLimiters limiters;
  private final CallLedger ledger = new CallLedger();
  private final ScanCalls calls;
  private final KeyCollector collector;
  private final List<CollectionError> errors = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> retryModes = new ConcurrentHashMap<>();
  private volatile @Nullable String account;
  private final Instant capturedAt;

  private AccountScan(Setup setup) {
    this.setup = setup;
    this.options = setup.options();
    this.deadline = ScanDeadline.after(options.timeout().orElse(null));
    this.limiters = new QuotaLimiters(options.quotas(), options.budgetFraction(), System::nanoTime);
    this.calls =
        new ScanCalls(
            limiters,
            ledger,
            deadline,
            options.scanRetries(),
            options.retryPause(),
            options.callTimeout().orElse(null));
    this.collector = new KeyCollector(calls);
    this.account = setup.account();
    this.capturedAt = setup.clock().instant();
  }

  /**
   * Runs the scan.
   *
   * @throws CancellationException if the calling thread is interrupted (the flag stays set)
   * @throws ScanException if the account cannot be told or nothing could be listed
   */
  public static ScanResult run(Setup setup) {
    Objects.requireNonNull(setup, "setup");
    return new AccountScan(setup).run();
  }

  private ScanResult run() {
    long start = System.nanoTime();
    if (setup.regions().isEmpty()) {
      throw new IllegalArgumentException("no Region to scan; give at least one Region");
    }
    identifyAccount();
    ExecutorService keyPool =
        Executors.newFixedThreadPool(options.concurrency(), threads(setup.threadName() + "-key"));
    ExecutorService regionPool =
        Executors.newFixedThreadPool(
            Math.min(options.regionConcurrency(), setup.regions().size()),
            threads(setup.threadName() + "-region"));
    List<KeySnapshot> keys = new ArrayList<>();
    List<AliasEntry> aliases = new ArrayList<>();
    List<TrailSnapshot> trails = null;
    try {
      List<Future<RegionResult>> regions = new ArrayList<>();
      for (Region region : setup.regions()) {
        regions.add(regionPool.submit(() -> listRegion(region, keyPool)));
      }
      for (int i = 0; i < regions.size(); i++) {
        Region region = setup.regions().get(i);
        RegionResult result;
        try {
          result = regions.get(i).get();
        } catch (ExecutionException e) {
          LOG.warn("listing Region {} failed", region.id(), e.getCause());
          errors.add(
              new CollectionError(
                  region.id(), "ListKeys", "internal error: " + Failures.reason(causeOf(e))));
          continue;
        }
        aliases.addAll(result.aliases());
        for (Listed listed : result.keys()) {
          keys.add(await(region, listed));
        }
      }
      if (setup.cloudTrail() != null && options.trails()) {
        TrailCollector.Result found =
            new TrailCollector(calls).collect(setup.regions(), cloudTrailClients());
        trails = found.trails();
        errors.addAll(found.errors());
      }
    } catch (InterruptedException e) {
      keyPool.shutdownNow();
      regionPool.shutdownNow();
      Thread.currentThread().interrupt();
      throw new CancellationException("the scan was cancelled");
    } finally {
      keyPool.shutdownNow();
      regionPool.shutdownNow();
    }
    if (options.lastUsage() && options.cloudTrailLogs().isPresent()) {
      keys = readLogFiles(keys);
    }
    String accountId = account;
    if (accountId == null) {
      accountId =
          keys.stream()
              .map(KeySnapshot::account)
              .filter(a -> !a.isEmpty())
              .findFirst()
              .orElse(null);
    }
    if (accountId == null) {
      throw new ScanException(
          "cannot tell which account was scanned: no STS client or account id was given, and no"
              + " key was found"
              + (errors.isEmpty()
                  ? ""
                  : " (" + errors.get(0).operation() + ": " + errors.get(0).message() + ")")
              + "; pass an STS client or the account id",
          null,
          null,
          null);
    }
    keys.sort(Comparator.comparing(KeySnapshot::arn));
    aliases.sort(Comparator.comparing(AliasEntry::region).thenComparing(AliasEntry::aliasName));
    List<CollectionError> sortedErrors = new ArrayList<>(errors);
    sortedErrors.sort(
        Comparator.comparing((CollectionError e) -> e.region() == null ? "" : e.region())
            .thenComparing(CollectionError::operation)
            .thenComparing(CollectionError::message));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    AccountSnapshot snapshot =
        AccountSnapshot.builder()
            .account(accountId)
            .partition(partition(setup.regions().get(0)))
            .regions(setup.regions().stream().map(Region::id).sorted().toList())
            .capturedAt(capturedAt)
            .keys(keys)
            .aliases(aliases)
            .trails(trails)
            .collectionErrors(sortedErrors)
            .durationMillis(took.toMillis())
            .build();
    return new ScanResult(snapshot, statistics(took, keys));
  }

  private void identifyAccount() {
    StsClient sts = setup.sts();
    if (account != null || sts == null) {
      return;
    }
    retryModes.put("sts", RetryModes.of(sts));
    try {
      account =
          calls
              .call(
                  "global",
                  "GetCallerIdentity",
                  () -> sts.getCallerIdentity(r -> r.overrideConfiguration(calls.override())))
              .account();
    } catch (SdkException | ScanDeadline.Exceeded e) {
      errors.add(new CollectionError(null, "GetCallerIdentity", Failures.reason(e)));
    }
  }

  private Function<Region, CloudTrailClient> cloudTrailClients() {
    Function<Region, CloudTrailClient> clients = Objects.requireNonNull(setup.cloudTrail());
    Map<Region, CloudTrailClient> seen = new ConcurrentHashMap<>();
    return region ->
        seen.computeIfAbsent(
            region,
            r -> {
              CloudTrailClient client = clients.apply(r);
              retryModes.put("cloudtrail " + r.id(), RetryModes.of(client));
              return client;
            });
  }

  /** The failure a task threw (an {@link ExecutionException} without one describes itself). */
  private static Throwable causeOf(ExecutionException e) {
    Throwable cause = e.getCause();
    return cause != null ? cause : e;
  }

  private KeySnapshot await(Region region, Listed listed) throws InterruptedException {
    try {
      return listed.snapshot().get();
    } catch (ExecutionException e) {
      Throwable cause = causeOf(e);
      if (cause instanceof CancellationException cancelled) {
        throw cancelled;
      }
      LOG.warn("reading key {} failed", listed.keyArn(), cause);
      return KeySnapshot.builder(listed.keyArn(), KeyMetadata.unknown())
          .keyId(listed.keyId())
          .region(region.id())
          .unreadable(
              KeyPart.METADATA, "internal error while reading the key: " + Failures.reason(cause))
          .build();
    }
  }

  private RegionResult listRegion(Region region, ExecutorService keyPool) {
    String r = region.id();
    KmsClient kms;
    try {
      kms = setup.kms().apply(region);
    } catch (RuntimeException e) {
      errors.add(
          new CollectionError(
              r, "KmsClient", "no KMS client for the Region: " + Failures.reason(e)));
      return new RegionResult(region, List.of(), List.of());
    }
    retryModes.put("kms " + r, RetryModes.of(kms));
    CloudTrailClient cloudTrail = null;
    if (setup.cloudTrail() != null
        && options.lastUsage()
        && options.usageWindow().isPresent()
        && options.cloudTrailLogs().isEmpty()) {
      try {
        cloudTrail = setup.cloudTrail().apply(region);
        retryModes.put("cloudtrail " + r, RetryModes.of(cloudTrail));
      } catch (RuntimeException e) {
        errors.add(new CollectionError(r, "CloudTrailClient", Failures.reason(e)));
      }
    }
    AliasIndex aliases = listAliases(r, kms);
    KeyCollector.Context context =
        new KeyCollector.Context(
            r,
            kms,
            cloudTrail,
            aliases,
            options.lastUsage(),
            cloudTrail == null ? null : options.usageWindow().orElse(null),
            capturedAt);
    List<Listed> listed = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    try {
      calls.pages(
          r,
          "ListKeys",
          new ScanCalls.Pages<ListKeysResponse>() {
            @Override
            public Iterator<ListKeysResponse> from(@Nullable String marker) {
              return kms.listKeysPaginator(
                      ListKeysRequest.builder()
                          .limit(1000)
                          .marker(marker)
                          .overrideConfiguration(calls.override())
                          .build())
                  .iterator();
            }

            @Override
            public @Nullable String nextMarker(ListKeysResponse page) {
              return page.nextMarker();
            }

            @Override
            public @Nullable Boolean truncated(ListKeysResponse page) {
              return page.truncated();
            }
          },
          page -> {
            if (!page.hasKeys()) {
              return;
            }
            for (var entry : page.keys()) {
              String keyId = entry.keyId();
              String keyArn = entry.keyArn();
              if (keyId == null && keyArn != null) {
                keyId = keyArn.substring(keyArn.lastIndexOf('/') + 1);
              }
              if (keyId == null) {
                continue;
              }
              if (keyArn == null) {
                keyArn = arnOf(region, keyId);
              }
              if (keyArn == null) {
                errors.add(
                    new CollectionError(
                        r,
                        "ListKeys",
                        "key ["
                            + keyId
                            + "] was listed without its KeyArn and the account is not known;"
                            + " give an STS client or the account id"));
                continue;
              }
              if (!seen.add(keyArn)) {
                continue;
              }
              setup.progress().keyFound();
              String id = keyId;
              String arn = keyArn;
              listed.add(new Listed(id, arn, keyPool.submit(() -> readKey(context, arn, id))));
            }
          });
    } catch (SdkException | ScanDeadline.Exceeded | IllegalStateException e) {
      errors.add(
          new CollectionError(
              r,
              "ListKeys",
              Failures.reason(e)
                  + (listed.isEmpty()
                      ? ""
                      : "; the "
                          + listed.size()
                          + " keys listed before it were read, keys after them were not listed")));
    }
    return new RegionResult(region, aliases.entries(), listed);
  }

  private @Nullable String arnOf(Region region, String keyId) {
    String a = account;
    return a == null
        ? null
        : "arn:" + partition(region) + ":kms:" + region.id() + ":" + a + ":key/" + keyId;
  }

  private KeySnapshot readKey(KeyCollector.Context context, String keyArn, String keyId) {
    KeySnapshot key;
    try {
      key = collector.collect(context, keyArn, keyId);
    } catch (CancellationException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("reading key {} failed", keyArn, e);
      key =
          KeySnapshot.builder(keyArn, KeyMetadata.unknown())
              .keyId(keyId)
              .region(context.region())
              .unreadable(
                  KeyPart.METADATA, "internal error while reading the key: " + Failures.reason(e))
              .build();
    }
    setup.progress().keyScanned(!key.unreadable().isEmpty());
    return key;
  }

  private AliasIndex listAliases(String region, KmsClient kms) {
    List<AliasEntry> entries = new ArrayList<>();
    try {
      calls.pages(
          region,
          "ListAliases",
          new ScanCalls.Pages<ListAliasesResponse>() {
            @Override
            public Iterator<ListAliasesResponse> from(@Nullable String marker) {
              return kms.listAliasesPaginator(
                      ListAliasesRequest.builder()
                          .limit(100)
                          .marker(marker)
                          .overrideConfiguration(calls.override())
                          .build())
                  .iterator();
            }

            @Override
            public @Nullable String nextMarker(ListAliasesResponse page) {
              return page.nextMarker();
            }

            @Override
            public @Nullable Boolean truncated(ListAliasesResponse page) {
              return page.truncated();
            }
          },
          page -> {
            if (page.hasAliases()) {
              for (var a : page.aliases()) {
                if (a.aliasName() != null && a.aliasName().startsWith("alias/")) {
                  entries.add(new AliasEntry(a.aliasName(), region, a.targetKeyId()));
                }
              }
            }
          });
      return AliasIndex.of(entries);
    } catch (SdkException | ScanDeadline.Exceeded | IllegalStateException e) {
      String reason = Failures.reason(e);
      errors.add(new CollectionError(region, "ListAliases", reason));
      return AliasIndex.unreadable(entries, "ListAliases failed in " + region + ": " + reason);
    }
  }

  private List<KeySnapshot> readLogFiles(List<KeySnapshot> keys) {
    java.nio.file.Path directory = options.cloudTrailLogs().orElseThrow();
    Set<String> arns = new HashSet<>();
    for (KeySnapshot k : keys) {
      if (!k.unreadable().containsKey(KeyPart.METADATA)) {
        arns.add(k.arn());
      }
    }
    Instant since = options.usageWindow().map(capturedAt::minus).orElse(null);
    KeyUsageAggregator usage = new KeyUsageAggregator(arns::contains, since);
    String problem = null;
    try {
      CloudTrailLogFiles.Summary summary = CloudTrailLogFiles.read(directory, usage::add);
      for (String p : summary.problems()) {
        errors.add(new CollectionError(null, "CloudTrailLogFiles", p));
      }
      if (summary.files() == 0) {
        problem = "no CloudTrail log file (*.json.gz, *.json) was found below [" + directory + "]";
      }
    } catch (IOException | RuntimeException e) {
      problem =
          "cannot read the CloudTrail log files in [" + directory + "]: " + Failures.reason(e);
    }
    if (problem != null) {
      errors.add(new CollectionError(null, "CloudTrailLogFiles", problem));
    }
    List<KeySnapshot> out = new ArrayList<>(keys.size());
    for (KeySnapshot k : keys) {
      if (!arns.contains(k.arn())) {
        out.add(k);
      } else if (problem != null) {
        out.add(
            k.toBuilder()
                .unreadable(KeyPart.CALLERS, problem)
                .unreadable(KeyPart.KEY_EVENTS, problem)
                .build());
      } else {
        out.add(
            k.toBuilder()
                .callers(usage.callers(k.arn()))
                .keyEvents(usage.keyEvents(k.arn()))
                .build());
      }
    }
    return out;
  }

  private ScanStatistics statistics(Duration took, List<KeySnapshot> keys) {
    String busiest = "";
    double bound = 0;
    for (Map.Entry<String, Long> e : ledger.callsByRegionAndOperation().entrySet()) {
      String operation = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      double seconds = e.getValue() / limiters.budgetedRate(operation);
      if (seconds > bound) {
        bound = seconds;
        busiest = e.getKey();
      }
    }
    List<String> notes = new ArrayList<>();
    Map<String, String> modes = new TreeMap<>(retryModes);
    modes.forEach(
        (client, mode) -> {
          if (!mode.equals(RetryModes.RECOMMENDED)) {
            notes.add(
                String.format(
                    "the %s client uses retry mode %s; RetryMode.ADAPTIVE_V2 is recommended: it"
                        + " slows down when the service throttles, so a scan gives way to the"
                        + " production traffic that shares the account's quotas",
                    client, mode));
          }
        });
    if (!busiest.isEmpty()) {
      notes.add(
          String.format(
              "the busiest quota was %s: %d calls at %.2f per second (%.0f%% of the quota) take"
                  + " at least %.1f s",
              busiest,
              ledger.callsByRegionAndOperation().get(busiest),
              limiters.budgetedRate(busiest.substring(busiest.indexOf(' ') + 1)),
              options.budgetFraction() * 100,
              bound));
    }
    int unreadable = (int) keys.stream().filter(k -> !k.unreadable().isEmpty()).count();
    return new ScanStatistics(
        took,
        keys.size(),
        unreadable,
        ledger.callsByOperation(),
        ledger.sdkRetriesByOperation(),
        ledger.throttledByOperation(),
        ledger.scanRetriesByOperation(),
        modes,
        ledger.meanCallDuration(),
        busiest,
        Duration.ofNanos((long) (bound * 1e9)),
        notes);
  }

  /** The partition of {@code region}: from the SDK's metadata, or from the Region's name. */
  public static String partition(Region region) {
    if (region.metadata() != null && region.metadata().partition() != null) {
      return region.metadata().partition().id();
    }
    String id = region.id();
    if (id.startsWith("cn-")) {
      return "aws-cn";
    }
    if (id.startsWith("us-gov-")) {
      return "aws-us-gov";
    }
    return "aws";
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
