package dev.kmsposture.rules;

import dev.kmsposture.snapshot.AccountSnapshot;
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
    List<Finding> findings = new ArrayList<>();
    for (KeySnapshot key : snapshot.keys()) {
      List<String> reasons = priorityReasons(key);
      Finding.Priority priority =
          reasons.isEmpty() ? Finding.Priority.NORMAL : Finding.Priority.ELEVATED;
      for (Rule rule : ruleSet.rules()) {
        if (!(rule instanceof KeyRule)) {
          continue;
        }
        for (Finding f : run((KeyRule) rule, key, context)) {
          f = f.withPriority(priority, reasons);
          findings.add(disposition(rule.info(), f, key.aliases(), today));
        }
      }
    }
    for (Rule rule : ruleSet.rules()) {
      if (rule instanceof AccountRule) {
        for (Finding f : runAccount((AccountRule) rule, snapshot, context)) {
          findings.add(disposition(rule.info(), f, List.of(), today));
        }
      }
    }
    findings.sort(REPORT_ORDER);
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

  /**
   * Returns why a key's name or tags signal production or sensitive data; empty when they do not.
   */
  List<String> priorityReasons(KeySnapshot key) {
    return RuleContext.productionSignals(key, config);
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
    c = a.subject().compareTo(b.subject());
    if (c != 0) {
      return c;
    }
    c = nullToEmpty(a.keyArn()).compareTo(nullToEmpty(b.keyArn()));
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
