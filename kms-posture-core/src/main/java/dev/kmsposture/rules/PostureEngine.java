package dev.kmsposture.rules;

import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
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
 * <p>Immutable and thread-safe.
 */
public final class PostureEngine {
  private static final Logger LOG = LoggerFactory.getLogger(PostureEngine.class);

  private final RuleSet ruleSet;
  private final PostureConfig config;
  private final Baseline baseline;
  private final List<Suppression> suppressions;

  private PostureEngine(Builder b) {
    this.ruleSet = b.ruleSet;
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
    List<KeyRule> keyRules = new ArrayList<>();
    List<AccountRule> accountRules = new ArrayList<>();
    for (Rule rule : ruleSet.rules()) {
      if (rule instanceof KeyRule) {
        keyRules.add((KeyRule) rule);
      } else if (rule instanceof AccountRule) {
        accountRules.add((AccountRule) rule);
      }
    }
    keyRules.sort(BY_ID);
    accountRules.sort(BY_ID);
    ReportOrder order = new ReportOrder();
    List<Finding> several = new ArrayList<>();
    for (Subject subject : Subject.inReportOrder(snapshot)) {
      KeySnapshot key = subject.key;
      if (key == null) {
        for (AccountRule rule : accountRules) {
          several.clear();
          for (Finding f : runAccount(rule, snapshot, context)) {
            several.add(disposition(rule.info(), f, List.of(), today));
          }
          order.addSorted(several);
        }
      } else {
        List<String> reasons = context.productionSignals(key);
        boolean elevated = !reasons.isEmpty();
        for (KeyRule rule : keyRules) {
          List<Finding> found = run(rule, key, context);
          several.clear();
          // indexed: an iterator per rule and key added up to several percent of the allocation
          for (int i = 0; i < found.size(); i++) {
            Finding f = found.get(i);
            if (elevated) {
              f = f.withPriority(Finding.Priority.ELEVATED, reasons);
            } else if (f.priority() != Finding.Priority.NORMAL || !f.priorityReasons().isEmpty()) {
              f = f.withPriority(Finding.Priority.NORMAL, List.of());
            }
            f = disposition(rule.info(), f, key.aliases(), today);
            if (found.size() == 1) {
              order.add(f);
            } else {
              several.add(f);
            }
          }
          if (!several.isEmpty()) {
            order.addSorted(several);
          }
        }
      }
    }
    List<Finding> findings = order.findings();
    List<String> notes = new ArrayList<>();
    if (snapshot.keys().isEmpty()) {
      notes.add(
          "The snapshot holds no keys, so no key was checked. This is not a clean result: check that"
              + " the scan covered the right account and Regions.");
    }
    for (var e : snapshot.collectionErrors()) {
      notes.add(
          "Collection error"
              + (e.region() == null ? "" : " in " + e.region())
              + ": "
              + e.operation()
              + ": "
              + e.message());
    }
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

  private Finding disposition(RuleInfo rule, Finding f, List<String> aliases, LocalDate today) {
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
    switch (s) {
      case FAIL:
        return 0;
      case UNKNOWN:
        return 1;
      case NOT_APPLICABLE:
        return 2;
      default:
        return 3;
    }
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

    /** Adds one rule's findings about one subject, sorting them first. */
    void addSorted(List<Finding> findings) {
      findings.sort(REPORT_ORDER);
      for (Finding f : findings) {
        add(f);
      }
    }

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
    c = Integer.compare(a.disposition().ordinal(), b.disposition().ordinal());
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
        (a.location() == null ? "" : a.location().pointer())
            .compareTo(b.location() == null ? "" : b.location().pointer());
    return c != 0 ? c : a.message().compareTo(b.message());
  }

  // Findings of one key share their ARN (and often their name) as one String instance.
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

    private Builder() {}

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
