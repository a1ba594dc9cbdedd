package dev.kmsposture.aws.scan;

import dev.kmsposture.aws.internal.AccountScan;
import dev.kmsposture.aws.internal.Failures;
import dev.kmsposture.aws.internal.ProgressTracker;
import dev.kmsposture.aws.internal.RoleCredentials;
import dev.kmsposture.aws.inventory.InventoryClients;
import dev.kmsposture.aws.inventory.InventoryOptions;
import dev.kmsposture.aws.inventory.InventoryService;
import dev.kmsposture.aws.inventory.ResourceInventoryScanner;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Scans every account of an AWS Organization (or a list of accounts): the account it runs in with
 * its own credentials, every other {@code ACTIVE} account through a read-only audit role the user
 * names, each account with its own quota buckets, several accounts at once, one snapshot per
 * account handed to a {@link SnapshotSink} as soon as it is done.
 *
 * <pre>{@code
 * OrganizationScanResult result = OrganizationScanner.builder()
 *     .stsClient(sts)
 *     .credentials(DefaultCredentialsProvider.create())
 *     .accounts(AccountLister.organizations(httpClient, credentials, Region.US_EAST_1))
 *     .auditRole(AuditRole.named("KmsPostureAudit").withExternalId("posture-2026"))
 *     .regions(List.of(Region.US_EAST_1, Region.EU_WEST_1))
 *     .clients((account, region, creds) -> KmsClient.builder()
 *         .region(region).credentialsProvider(creds).build())
 *     .sink(SnapshotSink.directory(Path.of("snapshots")))
 *     .build()
 *     .scan();
 * }</pre>
 *
 * <p>Accounts whose {@code State} is not {@code ACTIVE} are skipped and reported as such. An
 * account whose role cannot be assumed is reported as failed with the reason — never silently left
 * out. Sessions are renewed during long scans (role chaining limits them to an hour). Memory is
 * bounded by the accounts in flight ({@link Builder#accountConcurrency(int)}): each account's
 * snapshot leaves through the sink and only a small {@link AccountOutcome} stays. The scanner calls
 * {@code sts:GetCallerIdentity}, {@code sts:AssumeRole}, {@code organizations:ListAccounts}
 * (through the lister) and the read-only calls of {@link KmsScanner}; nothing that changes
 * anything.
 *
 * <p>With {@link Builder#inventory(InventoryOptions)} each account's snapshot also gets the {@link
 * ResourceInventory} of the KMS-integrated services, read after the account's keys through the
 * {@linkplain AccountClients#inventory inventory clients} the caller builds with the same
 * credentials (the account's audit-role session), with its own rate limiters per account, exactly
 * as {@link ResourceInventoryScanner#collect} reads one account.
 */
public final class OrganizationScanner {
  private static final Logger LOG = LoggerFactory.getLogger(OrganizationScanner.class);
  private static final String SESSION_NAME = "kms-posture-scan";

  private final StsClient sts;
  private final AwsCredentialsProvider credentials;
  private final AccountLister accounts;
  private final @Nullable AuditRole role;
  private final List<Region> regions;
  private final AccountClients clients;
  private final SnapshotSink sink;
  private final ScanOptions options;
  private final int accountConcurrency;
  private final Duration sessionDuration;
  private final ScanProgressListener listener;
  private final Clock clock;
  private final @Nullable InventoryOptions inventory;

  private OrganizationScanner(Builder b) {
    this.sts = Objects.requireNonNull(b.sts);
    this.credentials = Objects.requireNonNull(b.credentials);
    this.accounts = Objects.requireNonNull(b.accounts);
    this.role = b.role;
    this.regions = List.copyOf(b.regions);
    this.clients = Objects.requireNonNull(b.clients);
    this.sink = b.sink;
    this.options = b.options;
    this.accountConcurrency = b.accountConcurrency;
    this.sessionDuration = b.sessionDuration;
    this.listener = b.listener;
    this.clock = b.clock;
    this.inventory = b.inventory;
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Lists the accounts and scans them.
   *
   * @return one outcome per account listed
   * @throws ScanException if the accounts cannot be listed or the scanner's own account cannot be
   *     told
   * @throws CancellationException if the calling thread was interrupted
   */
  public OrganizationScanResult scan() {
    long start = System.nanoTime();
    String own;
    try {
      own = sts.getCallerIdentity().account();
    } catch (SdkException e) {
      throw new ScanException(
          "cannot tell which account the scanner runs in (sts:GetCallerIdentity): "
              + Failures.reason(e),
          null,
          null,
          e);
    }
    if (own == null) {
      throw new ScanException(
          "sts:GetCallerIdentity answered without an account", null, null, null);
    }
    AccountId ownAccount = AccountId.of(own);
    List<MemberAccount> listed = listAccounts();
    List<AccountOutcome> outcomes = new ArrayList<>();
    List<MemberAccount> active = new ArrayList<>();
    for (MemberAccount a : listed) {
      if (a.isActive()) {
        active.add(a);
      } else {
        outcomes.add(
            new AccountOutcome(
                a.id(),
                a.name(),
                AccountOutcome.Status.SKIPPED,
                "not scanned: the account's state is " + a.state() + ", not ACTIVE",
                0,
                0,
                0));
      }
    }
    if (role == null && active.stream().anyMatch(a -> !a.id().equals(ownAccount))) {
      throw new IllegalStateException(
          "no audit role was given, and accounts other than the scanner's own ("
              + own
              + ") are to be scanned; name a read-only audit role with auditRole(...)"
              + " (there is no default: OrganizationAccountAccessRole has administrator rights)");
    }
    ProgressTracker progress = new ProgressTracker(listener);
    progress.accountsFound(active.size());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(accountConcurrency, active.size())), threads());
    try {
      List<Future<AccountOutcome>> futures = new ArrayList<>();
      for (MemberAccount a : active) {
        futures.add(pool.submit(() -> scanAccount(a, ownAccount, progress)));
      }
      for (int i = 0; i < futures.size(); i++) {
        try {
          outcomes.add(futures.get(i).get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof CancellationException cancelled) {
            throw cancelled;
          }
          MemberAccount a = active.get(i);
          LOG.warn("scanning account {} failed", a.id(), cause);
          outcomes.add(
              new AccountOutcome(
                  a.id(),
                  a.name(),
                  AccountOutcome.Status.FAILED,
                  "internal error: " + Failures.reason(cause),
                  0,
                  0,
                  0));
        }
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      throw new CancellationException("the organization scan was cancelled");
    } finally {
      pool.shutdownNow();
    }
    outcomes.sort(Comparator.comparing(o -> o.account().value()));
    return new OrganizationScanResult(outcomes, Duration.ofNanos(System.nanoTime() - start));
  }

  private List<MemberAccount> listAccounts() {
    List<MemberAccount> out = new ArrayList<>();
    Set<String> seenIds = new HashSet<>();
    Set<String> seenTokens = new HashSet<>();
    String token = null;
    do {
      AccountPage page = accounts.page(token);
      for (MemberAccount a : page.accounts()) {
        if (seenIds.add(a.id().value())) {
          out.add(a);
        }
      }
      token = page.nextToken();
      // An empty page may still carry a token: keep going until there is none. A token seen
      // before would loop forever.
      if (token != null && !seenTokens.add(token)) {
        throw new ScanException(
            "ListAccounts returned the NextToken ["
                + token
                + "] twice; the account list cannot be"
                + " read to its end",
            null,
            null,
            null);
      }
    } while (token != null);
    return out;
  }

  private AccountOutcome scanAccount(
      MemberAccount account, AccountId ownAccount, ProgressTracker progress) {
    String partition = AccountScan.partition(regions.get(0));
    AwsCredentialsProvider accountCredentials;
    RoleCredentials session = null;
    if (account.id().equals(ownAccount)) {
      accountCredentials = credentials;
    } else {
      AuditRole audit = Objects.requireNonNull(role);
      String roleArn = audit.roleArn(account.id(), partition);
      session =
          new RoleCredentials(
              sts, roleArn, audit.externalId().orElse(null), SESSION_NAME, sessionDuration, clock);
      try {
        session.resolveCredentials();
      } catch (SdkException | IllegalStateException e) {
        progress.accountFailed();
        return new AccountOutcome(
            account.id(),
            account.name(),
            AccountOutcome.Status.FAILED,
            "cannot assume the audit role " + roleArn + ": " + Failures.reason(e),
            0,
            0,
            0);
      }
      accountCredentials = session;
    }
    Map<Region, KmsClient> kms = new ConcurrentHashMap<>();
    Map<Region, CloudTrailClient> cloudTrail = new ConcurrentHashMap<>();
    AwsCredentialsProvider creds = accountCredentials;
    try {
      Function<Region, CloudTrailClient> trailClients = null;
      Optional<CloudTrailClient> first = clients.cloudTrail(account.id(), regions.get(0), creds);
      if (first.isPresent()) {
        cloudTrail.put(regions.get(0), first.get());
        trailClients =
            region ->
                cloudTrail.computeIfAbsent(
                    region,
                    r ->
                        clients
                            .cloudTrail(account.id(), r, creds)
                            .orElseThrow(
                                () ->
                                    new IllegalStateException(
                                        "the account's clients gave no CloudTrail client for "
                                            + r.id())));
      }
      ScanResult result =
          AccountScan.run(
              new AccountScan.Setup(
                  account.id().value(),
                  regions,
                  region -> kms.computeIfAbsent(region, r -> clients.kms(account.id(), r, creds)),
                  trailClients,
                  null,
                  options,
                  clock,
                  progress,
                  "kms-posture-scan-" + account.id().value()));
      AccountSnapshot snapshot = result.snapshot();
      String inventoryNote = "";
      InventoryOptions inventoryOptions = inventory;
      if (inventoryOptions != null) {
        try {
          snapshot = inventory(account.id(), snapshot, creds, inventoryOptions);
        } catch (CancellationException e) {
          throw e;
        } catch (RuntimeException e) {
          // the inventory's time limit, or a failure outside a service's listing: the keys were
          // read, but a snapshot without its resources would read as "no resources", so the
          // account is failed, with both halves in the reason
          LOG.debug("the resource inventory of account {} failed", account.id(), e);
          progress.accountFailed();
          return new AccountOutcome(
              account.id(),
              account.name(),
              AccountOutcome.Status.FAILED,
              "keys scanned, but the resource inventory stopped: " + Failures.reason(e),
              snapshot.keys().size(),
              result.statistics().keysWithUnreadableParts(),
              snapshot.collectionErrors().size());
        }
        inventoryNote = inventoryNote(Objects.requireNonNull(snapshot.inventory()));
      }
      try {
        sink.accept(snapshot);
      } catch (RuntimeException e) {
        progress.accountFailed();
        return new AccountOutcome(
            account.id(),
            account.name(),
            AccountOutcome.Status.FAILED,
            "scanned, but the snapshot could not be kept: " + Failures.reason(e),
            snapshot.keys().size(),
            result.statistics().keysWithUnreadableParts(),
            snapshot.collectionErrors().size());
      }
      progress.accountScanned();
      String note =
          snapshot.collectionErrors().isEmpty()
              ? ""
              : snapshot.collectionErrors().size()
                  + " collection errors, the first: "
                  + snapshot.collectionErrors().get(0).operation()
                  + ": "
                  + snapshot.collectionErrors().get(0).message();
      if (!inventoryNote.isEmpty()) {
        note = (note.isEmpty() ? "" : note + "; ") + inventoryNote;
      }
      if (session != null && session.sessions() > 1) {
        note = (note.isEmpty() ? "" : note + "; ") + (session.sessions() - 1) + " session renewals";
      }
      return new AccountOutcome(
          account.id(),
          account.name(),
          AccountOutcome.Status.SCANNED,
          note,
          snapshot.keys().size(),
          result.statistics().keysWithUnreadableParts(),
          snapshot.collectionErrors().size());
    } catch (ScanException e) {
      progress.accountFailed();
      return new AccountOutcome(
          account.id(), account.name(), AccountOutcome.Status.FAILED, e.getMessage(), 0, 0, 0);
    } finally {
      closeAll(kms.values());
      closeAll(cloudTrail.values());
    }
  }

  /**
   * Reads the inventory of {@code account} into {@code snapshot} through the account's inventory
   * clients (built for it with {@code creds}, closed here).
   */
  private AccountSnapshot inventory(
      AccountId account,
      AccountSnapshot snapshot,
      AwsCredentialsProvider creds,
      InventoryOptions options) {
    List<Region> inventoryRegions =
        options.regions().isEmpty() ? regions : options.regions().stream().map(Region::of).toList();
    List<SdkClient> opened = new ArrayList<>();
    try {
      InventoryClients.Builder b = InventoryClients.builder();
      for (Region region : inventoryRegions) {
        for (InventoryService service : options.services()) {
          switch (service) {
            case EFS ->
                clients
                    .fileSystems(account, region, service, creds)
                    .ifPresent(l -> b.efs(region.id(), l));
            case FSX ->
                clients
                    .fileSystems(account, region, service, creds)
                    .ifPresent(l -> b.fsx(region.id(), l));
            default ->
                clients
                    .inventory(account, region, service, creds)
                    .ifPresent(
                        c -> {
                          opened.add(c);
                          b.add(region.id(), c);
                        });
          }
        }
      }
      return ResourceInventoryScanner.collect(
          snapshot,
          b.build(),
          options.withRegions(inventoryRegions.stream().map(Region::id).toList()));
    } finally {
      closeAll(opened);
    }
  }

  private static String inventoryNote(ResourceInventory inventory) {
    long gaps = inventory.coverage().stream().filter(c -> !c.isComplete()).count();
    return "inventory: "
        + inventory.resources().size()
        + " resources"
        + (gaps == 0 ? "" : ", " + gaps + " service and Region pairs not fully read");
  }

  private static void closeAll(Collection<? extends AutoCloseable> clients) {
    for (AutoCloseable c : clients) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing a client failed", e);
      }
    }
  }

  private static java.util.concurrent.ThreadFactory threads() {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, "kms-posture-org-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds an {@link OrganizationScanner}. Not thread-safe. */
  public static final class Builder {
    private @Nullable StsClient sts;
    private @Nullable AwsCredentialsProvider credentials;
    private @Nullable AccountLister accounts;
    private @Nullable AuditRole role;
    private final Set<Region> regions = new LinkedHashSet<>();
    private @Nullable AccountClients clients;
    private SnapshotSink sink = SnapshotSink.discard();
    private ScanOptions options = ScanOptions.defaults();
    private int accountConcurrency = 4;
    private Duration sessionDuration = Duration.ofHours(1);
    private ScanProgressListener listener = ScanProgressListener.NONE;
    private Clock clock = Clock.systemUTC();
    private @Nullable InventoryOptions inventory;

    private Builder() {}

    /**
     * Sets the STS client, signing with the scanner's own credentials: it tells the scanner's
     * account ({@code GetCallerIdentity}) and assumes the audit roles. Required.
     */
    public Builder stsClient(StsClient sts) {
      this.sts = Objects.requireNonNull(sts, "sts");
      return this;
    }

    /**
     * Sets the scanner's own credentials, which scan the account it runs in (the ones the STS
     * client signs with). Required.
     */
    public Builder credentials(AwsCredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Lists the accounts with {@code lister}: {@link AccountLister#organizations} for the whole
     * organization, or {@link #accounts(Collection)} for a list. Required (one of the two).
     */
    public Builder accounts(AccountLister lister) {
      this.accounts = Objects.requireNonNull(lister, "lister");
      return this;
    }

    /** Scans exactly {@code accounts} (all taken as {@code ACTIVE}). */
    public Builder accounts(Collection<AccountId> accounts) {
      Objects.requireNonNull(accounts, "accounts");
      if (accounts.isEmpty()) {
        throw new IllegalArgumentException("accounts [] is empty; give at least one account");
      }
      this.accounts =
          AccountLister.of(
              new LinkedHashSet<>(accounts).stream().map(MemberAccount::active).toList());
      return this;
    }

    /**
     * Names the read-only audit role assumed in every account but the scanner's own. Required when
     * other accounts are scanned; there is no default.
     */
    public Builder auditRole(AuditRole role) {
      this.role = Objects.requireNonNull(role, "role");
      return this;
    }

    /**
     * Sets the Regions scanned in every account. Required.
     *
     * @throws IllegalArgumentException if {@code regions} is empty
     */
    public Builder regions(Collection<Region> regions) {
      Objects.requireNonNull(regions, "regions");
      if (regions.isEmpty()) {
        throw new IllegalArgumentException("regions [] is empty; give at least one Region");
      }
      this.regions.clear();
      this.regions.addAll(regions);
      return this;
    }

    /** Builds each account's clients; see {@link AccountClients}. Required. */
    public Builder clients(AccountClients clients) {
      this.clients = Objects.requireNonNull(clients, "clients");
      return this;
    }

    /** Takes each account's snapshot as it is done; {@link SnapshotSink#discard()} by default. */
    public Builder sink(SnapshotSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /** Sets the options of every account's scan. */
    public Builder options(ScanOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Changes the options from the defaults with {@code options}.
     *
     * @see ScanOptions.Builder
     */
    public Builder options(Consumer<ScanOptions.Builder> options) {
      ScanOptions.Builder b = this.options.toBuilder();
      options.accept(b);
      this.options = b.build();
      return this;
    }

    /**
     * Sets how many accounts are scanned at once (4 by default). Each has its own quota buckets and
     * its own {@linkplain ScanOptions.Builder#concurrency(int) key readers}; memory grows with this
     * number, not with the organization's size.
     *
     * @throws IllegalArgumentException if {@code concurrency} is below 1 or above 64
     */
    public Builder accountConcurrency(int concurrency) {
      if (concurrency < 1 || concurrency > 64) {
        throw new IllegalArgumentException(
            String.format("account concurrency [%d] is not between 1 and 64", concurrency));
      }
      this.accountConcurrency = concurrency;
      return this;
    }

    /**
     * Sets the length of the audit-role sessions (one hour by default, the most role chaining
     * allows); sessions are renewed with a quarter of their time left.
     *
     * @throws IllegalArgumentException if {@code duration} is not 15 minutes to 1 hour
     */
    public Builder sessionDuration(Duration duration) {
      Objects.requireNonNull(duration, "duration");
      if (duration.compareTo(Duration.ofMinutes(15)) < 0
          || duration.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            String.format(
                "session duration [%s] is not between 15 minutes and 1 hour (role chaining allows"
                    + " at most an hour)",
                duration));
      }
      this.sessionDuration = duration;
      return this;
    }

    /**
     * Also reads each account's resource inventory with {@code options} (off by default: it reads
     * the services of every account), after the account's keys and before its snapshot goes to the
     * sink, through the clients of {@link AccountClients#inventory} and {@link
     * AccountClients#fileSystems}. The options' Regions default to the scanned Regions; their time
     * limit applies to each account's inventory. A service that cannot be read leaves a coverage
     * gap in that account's inventory; an inventory that stops (its time limit) fails the account,
     * with the reason.
     *
     * @see ResourceInventoryScanner#collect
     */
    public Builder inventory(InventoryOptions options) {
      this.inventory = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Hears the scan's progress (accounts and keys). */
    public Builder progressListener(ScanProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets the clock of every snapshot's {@code capturedAt} and of session expiry; the system UTC
     * clock by default.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the scanner.
     *
     * @throws IllegalStateException if the STS client, credentials, accounts, Regions or clients
     *     are missing
     */
    public OrganizationScanner build() {
      List<String> missing = new ArrayList<>();
      if (sts == null) {
        missing.add("stsClient");
      }
      if (credentials == null) {
        missing.add("credentials");
      }
      if (accounts == null) {
        missing.add("accounts");
      }
      if (regions.isEmpty()) {
        missing.add("regions");
      }
      if (clients == null) {
        missing.add("clients");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "the organization scanner needs "
                + String.join(", ", missing)
                + "; set them on the builder");
      }
      return new OrganizationScanner(this);
    }
  }
}
