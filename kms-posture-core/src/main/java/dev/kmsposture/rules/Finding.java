package dev.kmsposture.rules;

import static dev.kmsposture.internal.text.BuilderChecks.required;

import dev.kmsposture.snapshot.KeySnapshot;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of one rule on one key (or on the account): a status, and a message that names the key
 * by its alias — "Rotation is disabled on the CMK named prod-customer-pii".
 *
 * <p>Rules create findings with the factories ({@link #fail}, {@link #pass}, {@link
 * #notApplicable}, {@link #unknown}); the engine then sets the priority (raised for keys whose name
 * or tags signal production or sensitive data) and the disposition (suppressed or baselined).
 *
 * <p>A finding made with a {@link Message} keeps it unrendered and renders it each time {@link
 * #message()} is read, so the millions of findings of a large account take little memory. Findings
 * are values: equal when their parts (with the rendered message) are equal. Immutable.
 *
 * <p>Three other types say something about a policy, each for its own reader, and none is a
 * finding: {@link dev.kmsposture.policy.PolicyIssue} is what {@code KeyPolicy.validate()} finds in
 * the text of one policy, with no key, rule or severity (the policy model sits below the rules);
 * {@link dev.kmsposture.access.StatementReason} is why an access verdict came out as it did, the
 * statement it rests on and a typed reason, which rules read to build their findings; {@link
 * dev.kmsposture.leastprivilege.BuilderFinding} is why the policy builder refused or warned while
 * it composed a policy, before there is a key to judge. A finding is the only one with a rule, a
 * key, a status and a disposition, and the only one reports hold.
 *
 * <p>Its parts:
 *
 * <ul>
 *   <li>{@code ruleId} the rule
 *   <li>{@code severity}: the rule's severity
 *   <li>{@code status}: the result
 *   <li>{@code keyArn}: the key's ARN, or null for an account-level finding
 *   <li>{@code subject}: how the report names the key: its alias, or its ARN when it has none (or
 *       the account)
 *   <li>{@code message}: the explanation of this case, naming the key by alias
 *   <li>{@code location}: where in the key policy, or null
 *   <li>{@code item}: the item within the key the finding is about (a grant id, a replica ARN, a
 *       trail), or null
 *   <li>{@code remediation}: how to fix it
 *   <li>{@code priority}: whether the key's name or tags raise the finding's priority
 *   <li>{@code priorityReasons}: why the priority was raised (empty when normal)
 *   <li>{@code disposition}: whether the finding is active, suppressed or baselined
 *   <li>{@code dispositionNote}: the suppression's reason, or null
 * </ul>
 */
public final class Finding {
  private final RuleId ruleId;
  private final Severity severity;
  private final Status status;
  private final @Nullable String keyArn;
  private final String subject;
  // The message text; or, when messageArgs is not null, a Message template rendered on each read
  private final String message;
  private final @Nullable Object messageArgs;
  private final @Nullable PolicyLocation location;
  private final @Nullable String item;
  private final Remediation remediation;
  private final Priority priority;
  private final List<String> priorityReasons;
  private final Disposition disposition;
  private final @Nullable String dispositionNote;

  /** A finding's priority. */
  public enum Priority {
    /** The key's name or tags signal production or sensitive data. */
    ELEVATED,
    /** No such signal. */
    NORMAL
  }

  /** Whether a finding counts. */
  public enum Disposition {
    /** It counts. */
    ACTIVE,
    /** A suppression with a written reason covers it. */
    SUPPRESSED,
    /** The baseline already knew it. */
    BASELINED
  }

  private Finding(
      RuleId ruleId,
      Severity severity,
      Status status,
      @Nullable String keyArn,
      String subject,
      String message,
      @Nullable Object messageArgs,
      @Nullable PolicyLocation location,
      @Nullable String item,
      Remediation remediation,
      Priority priority,
      List<String> priorityReasons,
      Disposition disposition,
      @Nullable String dispositionNote) {
    this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
    this.severity = Objects.requireNonNull(severity, "severity");
    this.status = Objects.requireNonNull(status, "status");
    this.keyArn = keyArn;
    this.subject = Objects.requireNonNull(subject, "subject");
    this.message = Objects.requireNonNull(message, "message");
    this.messageArgs = messageArgs;
    this.location = location;
    this.item = item;
    this.remediation = Objects.requireNonNull(remediation, "remediation");
    this.priority = Objects.requireNonNull(priority, "priority");
    this.priorityReasons = List.copyOf(priorityReasons);
    this.disposition = Objects.requireNonNull(disposition, "disposition");
    this.dispositionNote = dispositionNote;
  }

  /**
   * Returns a builder for a finding from all its parts (see the class description), as a report
   * reader needs; rules use the factories ({@link #fail}, {@link #pass}, …) instead. The priority
   * is {@link Priority#NORMAL} and the disposition {@link Disposition#ACTIVE} until set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link Finding} from its parts. Required: rule id, severity, status, subject, message
   * and remediation; {@link #build()} says which one is missing.
   */
  public static final class Builder {
    private @Nullable RuleId ruleId;
    private @Nullable Severity severity;
    private @Nullable Status status;
    private @Nullable String keyArn;
    private @Nullable String subject;
    private @Nullable String message;
    private @Nullable PolicyLocation location;
    private @Nullable String item;
    private @Nullable Remediation remediation;
    private Priority priority = Priority.NORMAL;
    private List<String> priorityReasons = List.of();
    private Disposition disposition = Disposition.ACTIVE;
    private @Nullable String dispositionNote;

    private Builder() {}

    /** Sets the rule (required). */
    public Builder ruleId(RuleId ruleId) {
      this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
      return this;
    }

    /** Sets the rule's severity (required). */
    public Builder severity(Severity severity) {
      this.severity = Objects.requireNonNull(severity, "severity");
      return this;
    }

    /** Sets the result (required). */
    public Builder status(Status status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    /** Sets the key's ARN; null (the default) for an account-level finding. */
    public Builder keyArn(@Nullable String keyArn) {
      this.keyArn = keyArn;
      return this;
    }

    /**
     * Sets how the report names the key (required): its alias, or its ARN when it has none (or the
     * account).
     */
    public Builder subject(String subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
      return this;
    }

    /**
     * Sets the explanation of this case, naming the key by alias (required).
     *
     * @throws IllegalArgumentException if {@code message} is blank
     */
    public Builder message(String message) {
      this.message = checkedText(message);
      return this;
    }

    /** Sets where in the key policy; null (the default) when not about a statement. */
    public Builder location(@Nullable PolicyLocation location) {
      this.location = location;
      return this;
    }

    /** Sets the item within the key (a grant id, a replica ARN, a trail); null by default. */
    public Builder item(@Nullable String item) {
      this.item = item;
      return this;
    }

    /** Sets how to fix it (required). */
    public Builder remediation(Remediation remediation) {
      this.remediation = Objects.requireNonNull(remediation, "remediation");
      return this;
    }

    /** Sets the priority ({@link Priority#NORMAL} by default). */
    public Builder priority(Priority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** Replaces why the priority was raised (empty by default). */
    public Builder priorityReasons(List<String> priorityReasons) {
      this.priorityReasons = List.copyOf(priorityReasons);
      return this;
    }

    /** Sets whether the finding counts ({@link Disposition#ACTIVE} by default). */
    public Builder disposition(Disposition disposition) {
      this.disposition = Objects.requireNonNull(disposition, "disposition");
      return this;
    }

    /** Sets the suppression's reason; null by default. */
    public Builder dispositionNote(@Nullable String dispositionNote) {
      this.dispositionNote = dispositionNote;
      return this;
    }

    /**
     * Returns the finding.
     *
     * @throws IllegalStateException if a required part is not set
     */
    public Finding build() {
      return new Finding(
          required("finding", ruleId, "rule id", "ruleId(...)"),
          required("finding", severity, "severity", "severity(...)"),
          required("finding", status, "status", "status(...)"),
          keyArn,
          required("finding", subject, "subject", "subject(...)"),
          required("finding", message, "message", "message(...)"),
          null,
          location,
          item,
          required("finding", remediation, "remediation", "remediation(...)"),
          priority,
          priorityReasons,
          disposition,
          dispositionNote);
    }
  }

  private static String checkedText(String message) {
    Objects.requireNonNull(message, "message");
    if (message.isBlank()) {
      throw new IllegalArgumentException("a finding needs a message");
    }
    return message;
  }

  /** Returns the rule. */
  public RuleId ruleId() {
    return ruleId;
  }

  /** Returns the rule's severity. */
  public Severity severity() {
    return severity;
  }

  /** Returns the result. */
  public Status status() {
    return status;
  }

  /** Returns the key's ARN, or null for an account-level finding. */
  public @Nullable String keyArn() {
    return keyArn;
  }

  /**
   * Returns how the report names the key: its alias, or its ARN when it has none (or the account).
   */
  public String subject() {
    return subject;
  }

  /** Returns the explanation of this case, naming the key by alias (rendered on each call). */
  public String message() {
    return messageArgs == null ? message : Message.render(message, messageArgs);
  }

  /** Returns where in the key policy, or null. */
  public @Nullable PolicyLocation location() {
    return location;
  }

  /** Returns the item within the key the finding is about, or null. */
  public @Nullable String item() {
    return item;
  }

  /** Returns how to fix it. */
  public Remediation remediation() {
    return remediation;
  }

  /** Returns whether the key's name or tags raise the finding's priority. */
  public Priority priority() {
    return priority;
  }

  /** Returns why the priority was raised (empty when normal). */
  public List<String> priorityReasons() {
    return priorityReasons;
  }

  /** Returns whether the finding is active, suppressed or baselined. */
  public Disposition disposition() {
    return disposition;
  }

  /** Returns the suppression's reason, or null. */
  public @Nullable String dispositionNote() {
    return dispositionNote;
  }

  /** Returns a finding with {@code status} about {@code key}. */
  public static Finding of(RuleInfo rule, Status status, KeySnapshot key, String message) {
    return create(rule, status, key, checkedText(message), null);
  }

  /** Returns a finding with {@code status} about {@code key}, its message rendered when read. */
  public static Finding of(RuleInfo rule, Status status, KeySnapshot key, Message message) {
    Objects.requireNonNull(message, "message");
    return create(rule, status, key, message.template(), message.packedArgs());
  }

  // a shortcut only: the stamp is for this very key instance, or not used
  @SuppressWarnings("ReferenceEquality")
  private static Finding create(
      RuleInfo rule, Status status, KeySnapshot key, String message, @Nullable Object messageArgs) {
    Stamp stamp = STAMP.get();
    boolean stamped = stamp != null && stamp.key == key;
    return new Finding(
        rule.id(),
        rule.severity(),
        status,
        key.arn(),
        key.displayName(),
        message,
        messageArgs,
        null,
        null,
        rule.remediation(),
        stamped ? stamp.priority : Priority.NORMAL,
        stamped ? stamp.reasons : List.of(),
        Disposition.ACTIVE,
        null);
  }

  // The priority the engine gives every finding about the key it is judging on this thread: a
  // finding made for that key starts with it, so the engine need not copy each finding of a raised
  // key (a tenth of the engine's allocation). Only a shortcut: the engine still compares every
  // finding's priority with the key's and copies one that differs.
  private static final ThreadLocal<@Nullable Stamp> STAMP = new ThreadLocal<>();

  /** The priority and reasons of the findings about {@code key}, as the engine sets them. */
  static final class Stamp {
    final KeySnapshot key;
    final Priority priority;
    final List<String> reasons;

    Stamp(KeySnapshot key, Priority priority, List<String> reasons) {
      this.key = key;
      this.priority = priority;
      this.reasons = List.copyOf(reasons);
    }
  }

  /**
   * Makes findings created on this thread about {@code stamp}'s key start with its priority, until
   * the next call; null stops it. Returns the stamp it replaces, for the caller to restore.
   */
  static @Nullable Stamp stamp(@Nullable Stamp stamp) {
    Stamp previous = STAMP.get();
    if (stamp == null) {
      STAMP.remove();
    } else {
      STAMP.set(stamp);
    }
    return previous;
  }

  /** Returns a failing finding about {@code key}. */
  public static Finding fail(RuleInfo rule, KeySnapshot key, String message) {
    return of(rule, Status.FAIL, key, message);
  }

  /** Returns a failing finding about {@code key}; the message is rendered when read. */
  public static Finding fail(RuleInfo rule, KeySnapshot key, Message message) {
    return of(rule, Status.FAIL, key, message);
  }

  /** Returns a passing finding about {@code key}. */
  public static Finding pass(RuleInfo rule, KeySnapshot key, String message) {
    return of(rule, Status.PASS, key, message);
  }

  /** Returns a passing finding about {@code key}; the message is rendered when read. */
  public static Finding pass(RuleInfo rule, KeySnapshot key, Message message) {
    return of(rule, Status.PASS, key, message);
  }

  /** Returns a not-applicable finding about {@code key}, with the reason. */
  public static Finding notApplicable(RuleInfo rule, KeySnapshot key, String reason) {
    return of(rule, Status.NOT_APPLICABLE, key, reason);
  }

  /**
   * Returns a not-applicable finding about {@code key}, with the reason; the message is rendered
   * when read.
   */
  public static Finding notApplicable(RuleInfo rule, KeySnapshot key, Message reason) {
    return of(rule, Status.NOT_APPLICABLE, key, reason);
  }

  /** Returns an unknown finding about {@code key}: the data the rule needs is missing, and why. */
  public static Finding unknown(RuleInfo rule, KeySnapshot key, String reason) {
    return of(rule, Status.UNKNOWN, key, reason);
  }

  /**
   * Returns an unknown finding about {@code key}: the data the rule needs is missing, and why; the
   * message is rendered when read.
   */
  public static Finding unknown(RuleInfo rule, KeySnapshot key, Message reason) {
    return of(rule, Status.UNKNOWN, key, reason);
  }

  /** Returns an account-level finding (no key). */
  public static Finding forAccount(RuleInfo rule, Status status, String account, String message) {
    return new Finding(
        rule.id(),
        rule.severity(),
        status,
        null,
        "account " + account,
        checkedText(message),
        null,
        null,
        null,
        rule.remediation(),
        Priority.NORMAL,
        List.of(),
        Disposition.ACTIVE,
        null);
  }

  /** Returns this finding pointing at {@code location} in the key policy. */
  public Finding at(PolicyLocation location) {
    return copy(location, item, priority, priorityReasons, disposition, dispositionNote);
  }

  /** Returns this finding about {@code item} within the key (a grant id, a replica, a trail). */
  public Finding about(String item) {
    return copy(location, item, priority, priorityReasons, disposition, dispositionNote);
  }

  /** Returns this finding with a raised or normal priority and the reasons. */
  public Finding withPriority(Priority priority, List<String> reasons) {
    return copy(location, item, priority, reasons, disposition, dispositionNote);
  }

  /** Returns this finding with a disposition and its note. */
  public Finding withDisposition(Disposition disposition, @Nullable String note) {
    return copy(location, item, priority, priorityReasons, disposition, note);
  }

  // The withers change only these parts; the rule, key and (unrendered) message stay.
  private Finding copy(
      @Nullable PolicyLocation location,
      @Nullable String item,
      Priority priority,
      List<String> priorityReasons,
      Disposition disposition,
      @Nullable String dispositionNote) {
    return new Finding(
        ruleId,
        severity,
        status,
        keyArn,
        subject,
        message,
        messageArgs,
        location,
        item,
        remediation,
        priority,
        priorityReasons,
        disposition,
        dispositionNote);
  }

  /** Findings are equal when their parts, with the rendered message, are equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Finding f)) {
      return false;
    }

    return ruleId.equals(f.ruleId)
        && severity == f.severity
        && status == f.status
        && Objects.equals(keyArn, f.keyArn)
        && subject.equals(f.subject)
        && Objects.equals(location, f.location)
        && Objects.equals(item, f.item)
        && remediation.equals(f.remediation)
        && priority == f.priority
        && priorityReasons.equals(f.priorityReasons)
        && disposition == f.disposition
        && Objects.equals(dispositionNote, f.dispositionNote)
        && message().equals(f.message());
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        ruleId,
        severity,
        status,
        keyArn,
        subject,
        message(),
        location,
        item,
        remediation,
        priority,
        priorityReasons,
        disposition,
        dispositionNote);
  }

  @Override
  public String toString() {
    return "Finding[ruleId="
        + ruleId
        + ", severity="
        + severity
        + ", status="
        + status
        + ", keyArn="
        + keyArn
        + ", subject="
        + subject
        + ", message="
        + message()
        + ", location="
        + location
        + ", item="
        + item
        + ", priority="
        + priority
        + ", priorityReasons="
        + priorityReasons
        + ", disposition="
        + disposition
        + ", dispositionNote="
        + dispositionNote
        + "]";
  }

  /** Returns whether this is an active failure. */
  public boolean isActiveFailure() {
    return status == Status.FAIL && disposition == Disposition.ACTIVE;
  }

  /**
   * Returns the finding's fingerprint for baselines: a hash of the rule id, the key ARN, the
   * statement's fingerprint (Sid or canonical hash) and the item. Statement order and whitespace
   * are not part of it.
   */
  public String fingerprint() {
    // The SHA-256 of the UTF-8 of "rule\nsubject\nstatement\nitem", its first 16 bytes in hex:
    // the parts' UTF-8 put together (UTF-8 of a concatenation is the concatenation of the parts'
    // UTF-8, as no part can end in half a surrogate pair that the next completes: "\n" separates
    // them) and digested at once, with the thread's digest, as every finding of a report asks for
    // it.
    byte[] rule = ruleId.value().getBytes(StandardCharsets.UTF_8);
    byte[] key = (keyArn == null ? subject : keyArn).getBytes(StandardCharsets.UTF_8);
    byte[] statement =
        location == null
            ? new byte[0]
            : location.statementFingerprint().getBytes(StandardCharsets.UTF_8);
    byte[] what = item == null ? new byte[0] : item.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[rule.length + key.length + statement.length + what.length + 3];
    System.arraycopy(rule, 0, all, 0, rule.length);
    int n = rule.length;
    for (byte[] part : new byte[][] {key, statement, what}) {
      all[n++] = '\n';
      System.arraycopy(part, 0, all, n, part.length);
      n += part.length;
    }
    return hex(DIGEST.get().digest(all), 16);
  }

  // One SHA-256 digest per thread, reset by each digest() call.
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("bug in kms-posture: SHA-256 is not available", e);
            }
          });

  // The first `bytes` bytes of `d` as lower-case hex.
  private static String hex(byte[] d, int bytes) {
    byte[] c = new byte[2 * bytes];
    for (int i = 0; i < bytes; i++) {
      int high = (d[i] >> 4) & 0xF;
      int low = d[i] & 0xF;
      c[2 * i] = (byte) (high < 10 ? '0' + high : 'a' - 10 + high);
      c[2 * i + 1] = (byte) (low < 10 ? '0' + low : 'a' - 10 + low);
    }
    return new String(c, StandardCharsets.ISO_8859_1);
  }

  static String sha256(String s) {
    return hex(DIGEST.get().digest(s.getBytes(StandardCharsets.UTF_8)), 32);
  }
}
