package dev.kmsposture.rules;

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
 * @param ruleId the rule
 * @param severity the rule's severity
 * @param status the result
 * @param keyArn the key's ARN, or null for an account-level finding
 * @param subject how the report names the key: its alias, or its ARN when it has none (or the
 *     account)
 * @param message the explanation of this case, naming the key by alias
 * @param location where in the key policy, or null
 * @param item the item within the key the finding is about (a grant id, a replica ARN, a trail), or
 *     null
 * @param remediation how to fix it
 * @param priority whether the key's name or tags raise the finding's priority
 * @param priorityReasons why the priority was raised (empty when normal)
 * @param disposition whether the finding is active, suppressed or baselined
 * @param dispositionNote the suppression's reason, or null
 */
public record Finding(
    RuleId ruleId,
    Severity severity,
    Status status,
    @Nullable String keyArn,
    String subject,
    String message,
    @Nullable PolicyLocation location,
    @Nullable String item,
    Remediation remediation,
    Priority priority,
    List<String> priorityReasons,
    Disposition disposition,
    @Nullable String dispositionNote) {

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

  /** Checks the parts and copies the reasons. */
  public Finding {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(remediation, "remediation");
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(disposition, "disposition");
    priorityReasons = List.copyOf(priorityReasons);
    if (message.isBlank()) {
      throw new IllegalArgumentException("a finding needs a message");
    }
  }

  /** Returns a finding with {@code status} about {@code key}. */
  public static Finding of(RuleInfo rule, Status status, KeySnapshot key, String message) {
    return new Finding(
        rule.id(),
        rule.severity(),
        status,
        key.arn(),
        key.displayName(),
        message,
        null,
        null,
        rule.remediation(),
        Priority.NORMAL,
        List.of(),
        Disposition.ACTIVE,
        null);
  }

  /** Returns a failing finding about {@code key}. */
  public static Finding fail(RuleInfo rule, KeySnapshot key, String message) {
    return of(rule, Status.FAIL, key, message);
  }

  /** Returns a passing finding about {@code key}. */
  public static Finding pass(RuleInfo rule, KeySnapshot key, String message) {
    return of(rule, Status.PASS, key, message);
  }

  /** Returns a not-applicable finding about {@code key}, with the reason. */
  public static Finding notApplicable(RuleInfo rule, KeySnapshot key, String reason) {
    return of(rule, Status.NOT_APPLICABLE, key, reason);
  }

  /** Returns an unknown finding about {@code key}: the data the rule needs is missing, and why. */
  public static Finding unknown(RuleInfo rule, KeySnapshot key, String reason) {
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
        message,
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
    return new Finding(
        ruleId,
        severity,
        status,
        keyArn,
        subject,
        message,
        location,
        item,
        remediation,
        priority,
        priorityReasons,
        disposition,
        dispositionNote);
  }

  /** Returns this finding about {@code item} within the key (a grant id, a replica, a trail). */
  public Finding about(String item) {
    return new Finding(
        ruleId,
        severity,
        status,
        keyArn,
        subject,
        message,
        location,
        item,
        remediation,
        priority,
        priorityReasons,
        disposition,
        dispositionNote);
  }

  /** Returns this finding with a raised or normal priority and the reasons. */
  public Finding withPriority(Priority priority, List<String> reasons) {
    return new Finding(
        ruleId,
        severity,
        status,
        keyArn,
        subject,
        message,
        location,
        item,
        remediation,
        priority,
        reasons,
        disposition,
        dispositionNote);
  }

  /** Returns this finding with a disposition and its note. */
  public Finding withDisposition(Disposition disposition, @Nullable String note) {
    return new Finding(
        ruleId,
        severity,
        status,
        keyArn,
        subject,
        message,
        location,
        item,
        remediation,
        priority,
        priorityReasons,
        disposition,
        note);
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
    String basis =
        ruleId.value()
            + "\n"
            + (keyArn == null ? subject : keyArn)
            + "\n"
            + (location == null ? "" : location.statementFingerprint())
            + "\n"
            + (item == null ? "" : item);
    return sha256(basis).substring(0, 32);
  }

  static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(64);
      for (byte b : d) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("bug in kms-posture: SHA-256 is not available", e);
    }
  }
}
