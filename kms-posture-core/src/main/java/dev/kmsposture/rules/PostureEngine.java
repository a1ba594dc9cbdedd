package dev.kmsposture.rules;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an account snapshot with a rule set and returns a {@link PostureReport}. The same snapshot
 * and configuration always give the same report.
 *
 * <pre>{@code
 * PostureReport report = PostureEngine.builder()
 *     .ruleSet(KmsPostureRules.all())
 *     .config(PostureConfig.defaults())
 *     .build()
 *     .check(AccountSnapshot.parse(json));
 * }</pre>
 *
 * <p>A check of a large account need not hold its keys or its findings: {@link #start} judges keys
 * one at a time as they are read or scanned and hands each finding to a {@link FindingSink} (such
 * as {@link dev.kmsposture.report.FindingSpool}, which puts them in report order within bounded
 * memory); its {@link Session#finish} returns the counts ({@link PostureSummary}). Both paths give
 * the same findings.
 *
 * <pre>{@code
 * PostureEngine.Session session = engine.start(header, "snapshot.json", sink);
 * for (KeySnapshot key : keysAsTheyArrive) {
 *   session.check(key);
 * }
 * PostureSummary summary = session.finish(accountParts);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PostureEngine {
  private static final Logger LOG = LoggerFactory.getLogger(PostureEngine.class);

  /**
   * How many multi-Region keys a streaming check holds in memory by default: 2,048 (tens of
   * megabytes at most; the 4% of a large account's keys that are multi-Region exceed it only from
   * about 50,000 keys), or, in a heap smaller than 512 MiB, one per 256 KiB of it (at least 64), so
   * that a small heap checks a large account as it checks a small one.
   */
  public static final int DEFAULT_MAX_MULTI_REGION_KEYS_IN_MEMORY = 2048;

  // One multi-Region key held in memory per this many bytes of the heap, up to the default.
  private static final long HEAP_PER_HELD_KEY = 256L * 1024;

  private final RuleSet ruleSet;
  private final PostureConfig config;
  private final Baseline baseline;
  private final List<Suppression> suppressions;
  private final List<KeyRule> keyRules;
  private final List<AccountRule> accountRules;
  private final int maxHeldInMemory;

  private PostureEngine(Builder b) {
    this.maxHeldInMemory = b.maxHeldInMemory;
    this.ruleSet = b.ruleSet;
    this.keyRules = keyRules(b.ruleSet);
    this.accountRules = accountRules(b.ruleSet);
    this.config = b.config;
    this.baseline = b.baseline;
    List<Suppression> s = new ArrayList<>(b.config.suppressions());
    s.addAll(b.suppressions);
    this.suppressions = List.copyOf(s);
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Checks {@code snapshot}, naming no source file. */
  public PostureReport check(AccountSnapshot snapshot) {
    return check(snapshot, "");
  }

  /**
   * Checks {@code snapshot}.
   *
   * @param snapshot the snapshot
   * @param source where it came from (a file name, for reports), or empty
   */
  public PostureReport check(AccountSnapshot snapshot, String source) {
    Objects.requireNonNull(snapshot, "snapshot");
    Objects.requireNonNull(source, "source");
    RuleContext context = RuleContext.of(snapshot, config);
    LocalDate today = LocalDate.ofInstant(snapshot.capturedAt(), ZoneOffset.UTC);
    // Rules run in id order, so one key's findings arrive in report order within each bucket (see
    // ReportOrder); rules with several findings have theirs sorted.
    ReportOrder order = new ReportOrder();
    List<Finding> several = new ArrayList<>();
    for (Subject subject : Subject.inReportOrder(snapshot)) {
      KeySnapshot key = subject.key;
      if (key == null) {
        judgeAccount(snapshot, context, today, order::add, several);
      } else {
        judge(key, context, today, order::add, several);
      }
    }
    List<Finding> findings = order.findings();
    List<String> notes = notes(snapshot.keys().size(), snapshot);
    return new PostureReport(
        snapshot.account(),
        snapshot.partition(),
        snapshot.capturedAt(),
        snapshot.keys().size(),
        ruleSet.rules().stream().map(Rule::info).toList(),
        findings,
        notes,
        source);
  }

  private static List<String> notes(int keyCount, AccountSnapshot account) {
    List<String> notes = new ArrayList<>();
    if (keyCount == 0) {
      notes.add(
          "The snapshot holds no keys, so no key was checked. This is not a clean result: check that"
              + " the scan covered the right account and Regions.");
    }
    for (var e : account.collectionErrors()) {
      notes.add(
          "Collection error"
              + (e.region() == null ? "" : " in " + e.region())
              + ": "
              + e.operation()
              + ": "
              + e.message());
    }
    return notes;
  }

  // The key rules and account rules, each in id order: the order findings of one subject arrive.
  private static List<KeyRule> keyRules(RuleSet ruleSet) {
    List<KeyRule> out = new ArrayList<>();
    for (Rule rule : ruleSet.rules()) {
      if (rule instanceof KeyRule k) {
        out.add(k);
      }
    }
    out.sort(BY_ID);
    return List.copyOf(out);
  }

  private static List<AccountRule> accountRules(RuleSet ruleSet) {
    List<AccountRule> out = new ArrayList<>();
    for (Rule rule : ruleSet.rules()) {
      if (rule instanceof AccountRule a) {
        out.add(a);
      }
    }
    out.sort(BY_ID);
    return List.copyOf(out);
  }

  /**
   * Runs every key rule on {@code key} and hands the findings to {@code out}: rule by rule in id
   * order, a rule's several findings in report order, each with its priority and disposition.
   */
  private void judge(
      KeySnapshot key,
      RuleContext context,
      LocalDate today,
      FindingSink out,
      List<Finding> several) {
    List<String> signals = context.productionSignals(key);
    // Findings about the key are made with its priority (Finding.stamp); any other is copied.
    Finding.Stamp stamp =
        signals.isEmpty()
            ? new Finding.Stamp(key, Finding.Priority.NORMAL, List.of())
            : new Finding.Stamp(key, Finding.Priority.ELEVATED, signals);
    Finding.Priority priority = stamp.priority;
    List<String> reasons = stamp.reasons;
    Finding.Stamp previous = Finding.stamp(stamp);
    try {
      for (KeyRule rule : keyRules) {
        List<Finding> found = run(rule, key, context);
        several.clear();
        // indexed: an iterator per rule and key added up to several percent of the allocation
        for (int i = 0; i < found.size(); i++) {
          Finding f = found.get(i);
          if (f.priority() != priority || !samePriorityReasons(f.priorityReasons(), reasons)) {
            f = f.withPriority(priority, reasons);
          }
          f = disposition(rule.info(), f, key.aliases(), today);
          if (found.size() == 1) {
            out.accept(f);
          } else {
            several.add(f);
          }
        }
        if (!several.isEmpty()) {
          several.sort(REPORT_ORDER);
          for (Finding f : several) {
            out.accept(f);
          }
        }
      }
    } finally {
      Finding.stamp(previous);
    }
  }

  // The same instance (a finding made under the key's stamp) or equal reasons.
  @SuppressWarnings("ReferenceEquality") // a shortcut only: equal instances are equal lists
  private static boolean samePriorityReasons(List<String> a, List<String> b) {
    return a == b || a.equals(b);
  }

  /** Runs every account rule and hands the findings to {@code out}, each rule's sorted. */
  private void judgeAccount(
      AccountSnapshot account,
      RuleContext context,
      LocalDate today,
      FindingSink out,
      List<Finding> several) {
    for (AccountRule rule : accountRules) {
      several.clear();
      for (Finding f : runAccount(rule, account, context)) {
        several.add(disposition(rule.info(), f, List.of(), today));
      }
      several.sort(REPORT_ORDER);
      for (Finding f : several) {
        out.accept(f);
      }
    }
  }

  /**
   * Starts a check that judges keys one at a time, as they are read or scanned, and hands every
   * finding to {@code sink} as soon as it is made. Keys without a multi-Region configuration are
   * judged at once; multi-Region keys are held until {@link Session#finish}, since the rules
   * compare a primary with its replicas, which may come later: the first {@link
   * Builder#maxMultiRegionKeysInMemory} in memory, the rest in a temporary file (deleted by {@link
   * Session#finish}), with where each ARN's key is in the file on the heap for as many ARNs and in
   * a second temporary file beyond. Memory therefore does not grow with the number of keys or
   * findings.
   *
   * @param header the snapshot's header: account, partition, capture time (the rules' "now"); its
   *     keys are ignored
   * @param source where the snapshot came from (a file name, for reports), or empty
   * @param sink receives every finding
   * @return the session; not thread-safe
   */
  public Session start(AccountSnapshot header, String source, FindingSink sink) {
    return new Session(
        Objects.requireNonNull(header, "header"),
        Objects.requireNonNull(source, "source"),
        Objects.requireNonNull(sink, "sink"));
  }

  /**
   * One streaming check ({@link #start}): {@link #check} each key, then {@link #finish} once. Not
   * thread-safe.
   */
  public final class Session {
    private final AccountSnapshot header;
    private final String source;
    private final FindingSink out;
    private final PostureSummary.Counter counter = new PostureSummary.Counter();
    private final HeldKeys held;
    private final RuleContext context;
    private final LocalDate today;
    private final List<Finding> several = new ArrayList<>();
    private int keyCount;
    private boolean finished;

    private Session(AccountSnapshot header, String source, FindingSink sink) {
      this.header = header;
      this.source = source;
      this.out =
          f -> {
            counter.add(f);
            sink.accept(f);
          };
      this.held = new HeldKeys(maxHeldInMemory, Path.of(System.getProperty("java.io.tmpdir", ".")));
      this.context = RuleContext.streaming(header, config, held::find);
      this.today = LocalDate.ofInstant(header.capturedAt(), ZoneOffset.UTC);
    }

    /**
     * Judges {@code key} (or, for a multi-Region key, holds it until {@link #finish}).
     *
     * @throws IllegalStateException if the session is finished
     */
    public void check(KeySnapshot key) {
      Objects.requireNonNull(key, "key");
      if (finished) {
        throw new IllegalStateException("the check is finished; start another session");
      }
      keyCount++;
      if (key.metadata().multiRegion() != null) {
        held.add(key);
      } else {
        judge(key, context, today, out, several);
      }
    }

    /**
     * Ends the check without a summary, forgetting the keys it holds (and deleting their temporary
     * file): for a check whose keys must be read again. Does nothing once finished.
     */
    public void discard() {
      if (!finished) {
        finished = true;
        held.close();
      }
    }

    /** Returns how many keys were handed to {@link #check} so far. */
    public int keyCount() {
      return keyCount;
    }

    /**
     * Judges the multi-Region keys held back, then runs the account rules on {@code account}, and
     * returns the summary of every finding handed to the sink.
     *
     * @param account the snapshot's account parts (trails, collection errors; its keys are
     *     ignored), such as {@link dev.kmsposture.snapshot.SnapshotReader#read} returns
     * @return the summary
     * @throws IllegalStateException if the session is finished already
     */
    public PostureSummary finish(AccountSnapshot account) {
      Objects.requireNonNull(account, "account");
      if (finished) {
        throw new IllegalStateException("the check is finished already");
      }
      finished = true;
      try {
        for (int i = 0; i < held.size(); i++) {
          judge(held.get(i), context, today, out, several);
        }
      } finally {
        held.close();
      }
      judgeAccount(account, context, today, out, several);
      return counter.summary(
          header.account(),
          header.partition(),
          header.capturedAt(),
          keyCount,
          ruleSet.rules().stream().map(Rule::info).toList(),
          notes(keyCount, account),
          source);
    }
  }

  /**
   * Returns the order of findings in a report: failures first, then unknown, not applicable and
   * passing results; within each, active before suppressed and baselined, then by severity, raised
   * priority, subject (key name), key ARN, rule id, item, policy location and message.
   */
  public static Comparator<Finding> reportOrder() {
    return REPORT_ORDER;
  }

  private static List<Finding> run(KeyRule rule, KeySnapshot key, RuleContext context) {
    String metadataProblem = key.unreadable().get(KeyPart.METADATA);
    if (metadataProblem != null) {
      // What the key is (manager, spec, state) decides every rule; a collector that could not
      // read it left placeholders, which no rule may judge.
      return List.of(
          Finding.unknown(
              rule.info(),
              key,
              String.format(
                  "Cannot judge the key %s: its metadata could not be read: %s",
                  key.displayName(), metadataProblem)));
    }
    try {
      List<Finding> out = rule.check(key, context);
      if (out.isEmpty()) {
        return List.of(
            Finding.unknown(
                rule.info(),
                key,
                String.format(
                    "rule %s returned no result for %s; this is a bug in the rule",
                    rule.id(), context.describe(key))));
      }
      return out;
    } catch (RuntimeException e) {
      LOG.warn("rule {} failed on key {}", rule.id(), key.arn(), e);
      return List.of(
          Finding.unknown(
              rule.info(),
              key,
              String.format(
                  "rule %s failed on %s (%s: %s); this is a bug in kms-posture, please report it",
                  rule.id(), context.describe(key), e.getClass().getSimpleName(), e.getMessage())));
    }
  }

  private static List<Finding> runAccount(
      AccountRule rule, AccountSnapshot snapshot, RuleContext context) {
    try {
      return rule.check(snapshot, context);
    } catch (RuntimeException e) {
      LOG.warn("rule {} failed on account {}", rule.id(), snapshot.account(), e);
      return List.of(
          Finding.forAccount(
              rule.info(),
              Status.UNKNOWN,
              snapshot.account(),
              String.format(
                  "rule %s failed (%s: %s); this is a bug in kms-posture, please report it",
                  rule.id(), e.getClass().getSimpleName(), e.getMessage())));
    }
  }

  private Finding disposition(
      RuleInfo rule, Finding f, @Nullable List<String> aliases, LocalDate today) {
    if (f.status() != Status.FAIL) {
      return f;
    }
    List<String> names = aliases == null ? List.of() : aliases;
    for (Suppression s : suppressions) {
      if (s.covers(rule, f.keyArn(), names, today)) {
        return f.withDisposition(Finding.Disposition.SUPPRESSED, s.reason());
      }
    }
    if (baseline.contains(f)) {
      return f.withDisposition(Finding.Disposition.BASELINED, "known in the baseline");
    }
    return f;
  }

  private static int statusRank(Status s) {
    return switch (s) {
      case FAIL -> 0;
      case UNKNOWN -> 1;
      case NOT_APPLICABLE -> 2;
      default -> 3;
    };
  }

  /**
   * The subjects of findings (each key, and the account) in the order the report names them: by
   * subject name, then key ARN — the comparator's fields after status, disposition, severity and
   * priority.
   */
  private static final class Subject {
    final @Nullable KeySnapshot key;
    final String name;
    final String arn;

    private Subject(@Nullable KeySnapshot key, String name, String arn) {
      this.key = key;
      this.name = name;
      this.arn = arn;
    }

    static List<Subject> inReportOrder(AccountSnapshot snapshot) {
      List<Subject> subjects = new ArrayList<>(snapshot.keys().size() + 1);
      for (KeySnapshot k : snapshot.keys()) {
        subjects.add(new Subject(k, k.displayName(), k.arn()));
      }
      subjects.add(new Subject(null, "account " + snapshot.account(), ""));
      subjects.sort(
          (a, b) -> {
            int c = a.name.compareTo(b.name);
            return c != 0 ? c : a.arn.compareTo(b.arn);
          });
      return subjects;
    }
  }

  /**
   * Puts findings in {@link #REPORT_ORDER} without sorting them all: a snapshot of 100,000 keys has
   * about 3,000,000 findings. Subjects arrive in name order and, for each, rules in id order (a
   * rule's several findings sorted), and each finding is dealt into one bucket per (status,
   * disposition, severity, priority), the comparator's leading fields, so each bucket stays in
   * order. Every finding is checked against its bucket's last one, and the whole list is sorted if
   * a rule named its subject unusually (for example two keys with the same ARN, or two rules with
   * one id), so the order is always exactly {@link #REPORT_ORDER}.
   */
  private static final class ReportOrder {
    private static final int DISPOSITIONS = Finding.Disposition.values().length;
    private static final int SEVERITIES = Severity.values().length;
    private static final int PRIORITIES = Finding.Priority.values().length;

    private final List<List<Finding>> buckets = new ArrayList<>();
    private boolean inOrder = true;

    ReportOrder() {
      int n = Status.values().length * DISPOSITIONS * SEVERITIES * PRIORITIES;
      for (int i = 0; i < n; i++) {
        buckets.add(new ArrayList<>());
      }
    }

    /** Adds the next finding; notes when it does not follow its bucket's last in report order. */
    void add(Finding f) {
      List<Finding> bucket = buckets.get(bucket(f));
      if (inOrder
          && !bucket.isEmpty()
          && REPORT_ORDER.compare(bucket.get(bucket.size() - 1), f) > 0) {
        inOrder = false;
      }
      bucket.add(f);
    }

    // the ordinals make a dense bucket index for this one run; nothing stores it.
    @SuppressWarnings("EnumOrdinal")
    private static int bucket(Finding f) {
      return ((statusRank(f.status()) * DISPOSITIONS + f.disposition().ordinal()) * SEVERITIES
                  + f.severity().ordinal())
              * PRIORITIES
          + f.priority().ordinal();
    }

    List<Finding> findings() {
      int n = 0;
      for (List<Finding> b : buckets) {
        n += b.size();
      }
      List<Finding> all = new ArrayList<>(n);
      for (List<Finding> b : buckets) {
        all.addAll(b);
      }
      if (!inOrder) {
        all.sort(REPORT_ORDER);
      }
      return all;
    }
  }

  private static final Comparator<Rule> BY_ID = Comparator.comparing(Rule::id);

  /** Failures first, then severity, raised priority, key name, rule id, item and location. */
  static final Comparator<Finding> REPORT_ORDER = PostureEngine::compareForReport;

  // A plain method rather than a chain of comparing(...) lambdas: a snapshot of 10,000 keys sorts
  // about 300,000 findings, and the chain's extra calls dominated the engine's profile.
  private static int compareForReport(Finding a, Finding b) {
    int c = Integer.compare(statusRank(a.status()), statusRank(b.status()));
    if (c != 0) {
      return c;
    }
    c = a.disposition().compareTo(b.disposition());
    if (c != 0) {
      return c;
    }
    c = a.severity().compareTo(b.severity());
    if (c != 0) {
      return c;
    }
    c = a.priority().compareTo(b.priority());
    if (c != 0) {
      return c;
    }
    c = compareText(a.subject(), b.subject());
    if (c != 0) {
      return c;
    }
    c = compareText(nullToEmpty(a.keyArn()), nullToEmpty(b.keyArn()));
    if (c != 0) {
      return c;
    }
    c = a.ruleId().compareTo(b.ruleId());
    if (c != 0) {
      return c;
    }
    c = nullToEmpty(a.item()).compareTo(nullToEmpty(b.item()));
    if (c != 0) {
      return c;
    }
    c =
        (a.location() == null ? "" : a.location().place().pointer())
            .compareTo(b.location() == null ? "" : b.location().place().pointer());
    return c != 0 ? c : a.message().compareTo(b.message());
  }

  // Findings of one key share their ARN (and often their name) as one String instance.
  // a shortcut only: the same instance compares equal without reading it.
  @SuppressWarnings("ReferenceEquality")
  private static int compareText(String a, String b) {
    return a == b ? 0 : a.compareTo(b);
  }

  private static String nullToEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  /** Builds a {@link PostureEngine}. Not thread-safe. */
  public static final class Builder {
    private RuleSet ruleSet = RuleSet.of();
    private PostureConfig config = PostureConfig.defaults();
    private Baseline baseline = Baseline.empty();
    private final List<Suppression> suppressions = new ArrayList<>();
    private int maxHeldInMemory =
        (int)
            Math.max(
                64,
                Math.min(
                    DEFAULT_MAX_MULTI_REGION_KEYS_IN_MEMORY,
                    Runtime.getRuntime().maxMemory() / HEAP_PER_HELD_KEY));

    private Builder() {}

    /**
     * Sets how many multi-Region keys a streaming check ({@link #start}) holds in memory until it
     * ends; the rest wait as JSON in a temporary file. {@value
     * PostureEngine#DEFAULT_MAX_MULTI_REGION_KEYS_IN_MEMORY} by default (fewer in a heap smaller
     * than 512 MiB: {@link PostureEngine#DEFAULT_MAX_MULTI_REGION_KEYS_IN_MEMORY}). The findings do
     * not depend on it.
     *
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public Builder maxMultiRegionKeysInMemory(int max) {
      if (max < 0) {
        throw new IllegalArgumentException(
            String.format("maxMultiRegionKeysInMemory [%d] must be 0 or more", max));
      }
      this.maxHeldInMemory = max;
      return this;
    }

    /** Sets the rules to apply. Required. */
    public Builder ruleSet(RuleSet ruleSet) {
      this.ruleSet = Objects.requireNonNull(ruleSet, "ruleSet");
      return this;
    }

    /** Sets the configuration; {@link PostureConfig#defaults()} by default. */
    public Builder config(PostureConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Sets the baseline of known findings; empty by default. */
    public Builder baseline(Baseline baseline) {
      this.baseline = Objects.requireNonNull(baseline, "baseline");
      return this;
    }

    /** Adds a suppression (besides those in the configuration). */
    public Builder addSuppression(Suppression suppression) {
      suppressions.add(Objects.requireNonNull(suppression, "suppression"));
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws IllegalStateException if the rule set is empty
     */
    public PostureEngine build() {
      if (ruleSet.rules().isEmpty()) {
        throw new IllegalStateException(
            "the rule set is empty; a check with no rules would pass vacuously (use"
                + " KmsPostureRules.all())");
      }
      return new PostureEngine(this);
    }
  }
}
