package dev.kmsposture.snapshot;

import static dev.kmsposture.internal.text.BuilderChecks.missing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One principal (and the AWS service acting for it, if any) that used a key, summed over the
 * CloudTrail events the collector read: which operations it called, how often, and when. Answers
 * the checklist's question "which services and principals actually use this key".
 *
 * <p>A service acting for a principal is recognised, strongest evidence first, from the record's
 * {@code userIdentity.invokedBy}, from an encryption-context key that only that service sets (such
 * as {@code aws:s3:arn}, {@code aws:ebs:id} or {@code aws:logs:arn}), from a {@code
 * sourceIPAddress} that is a service's host name, or from its {@code userAgent}. A bare {@code
 * internal.amazonaws.com} (or {@code AWS Internal}) says only that some AWS service made the call:
 * the service is then {@value #UNIDENTIFIED_SERVICE} and {@link #isUnidentifiedService()} is true.
 *
 * @param principalArn who called: the IAM role (for an assumed-role session, the role that issued
 *     the session, so one role's many sessions are one caller), user, or account root; null when
 *     CloudTrail names no principal (an AWS service acting on its own)
 * @param service the AWS service that made the call for the principal, such as {@code
 *     s3.amazonaws.com}; null when the principal called KMS itself
 * @param serviceEvidence how the service was recognised: {@code invokedBy}, {@code
 *     encryptionContext:<key>}, {@code sourceIPAddress} or {@code userAgent}; null when {@code
 *     service} is null
 * @param operations the KMS operations called, sorted
 * @param eventCount how many events were summed
 * @param firstSeen the oldest of those events
 * @param lastSeen the newest of those events
 * @see <a
 *     href="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html">CloudTrail
 *     userIdentity element</a>
 */
public record KeyCaller(
    @Nullable String principalArn,
    @Nullable String service,
    @Nullable String serviceEvidence,
    List<String> operations,
    long eventCount,
    Instant firstSeen,
    Instant lastSeen) {

  /**
   * The {@link #service()} of a call an AWS service made without CloudTrail naming the service
   * ({@code internal.amazonaws.com}).
   */
  public static final String UNIDENTIFIED_SERVICE = "internal.amazonaws.com";

  /** Copies and sorts the operations and checks that the caller says who called. */
  public KeyCaller {
    Objects.requireNonNull(operations, "operations");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (principalArn == null && service == null) {
      throw new IllegalArgumentException(
          "a key caller needs a principalArn or a service; CloudTrail named neither");
    }
    if (eventCount < 1) {
      throw new IllegalArgumentException(
          String.format("key caller eventCount [%d] is below 1; a caller has events", eventCount));
    }
    if (lastSeen.isBefore(firstSeen)) {
      throw new IllegalArgumentException(
          String.format(
              "key caller lastSeen [%s] is before firstSeen [%s]; expected lastSeen >= firstSeen",
              lastSeen, firstSeen));
    }
    operations = operations.stream().distinct().sorted().toList();
  }

  /** Returns whether an AWS service made the calls but CloudTrail did not say which. */
  public boolean isUnidentifiedService() {
    return UNIDENTIFIED_SERVICE.equals(service);
  }

  /**
   * Returns an empty builder. A principal ARN or a service, the event count and both dates are
   * required; the operations default to none.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this caller. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link KeyCaller}. The event count setter rejects a count below one at once; {@link
   * #build()} fails, naming the setter, when a required field is missing, and as the canonical
   * constructor does when the last event is older than the first. Not thread-safe; the callers it
   * builds are immutable.
   */
  public static final class Builder {
    private @Nullable String principalArn;
    private @Nullable String service;
    private @Nullable String serviceEvidence;
    private final List<String> operations = new ArrayList<>();
    private long eventCount;
    private @Nullable Instant firstSeen;
    private @Nullable Instant lastSeen;

    private Builder() {}

    private Builder(KeyCaller c) {
      this.principalArn = c.principalArn;
      this.service = c.service;
      this.serviceEvidence = c.serviceEvidence;
      this.operations.addAll(c.operations);
      this.eventCount = c.eventCount;
      this.firstSeen = c.firstSeen;
      this.lastSeen = c.lastSeen;
    }

    /**
     * Sets who called (for an assumed-role session, the role); null (the default) when CloudTrail
     * names no principal.
     */
    public Builder principalArn(@Nullable String principalArn) {
      this.principalArn = principalArn;
      return this;
    }

    /**
     * Sets the AWS service that called for the principal, such as {@code s3.amazonaws.com}; null
     * (the default) when the principal called KMS itself.
     */
    public Builder service(@Nullable String service) {
      this.service = service;
      return this;
    }

    /**
     * Sets how the service was recognised ({@code invokedBy}, {@code encryptionContext:<key>},
     * {@code sourceIPAddress} or {@code userAgent}); null (the default) when there is no service.
     */
    public Builder serviceEvidence(@Nullable String serviceEvidence) {
      this.serviceEvidence = serviceEvidence;
      return this;
    }

    /**
     * Replaces the KMS operations called, such as {@code Decrypt}, as CloudTrail names them; they
     * are sorted and made distinct.
     */
    public Builder operations(Collection<String> operations) {
      Objects.requireNonNull(operations, "operations");
      this.operations.clear();
      operations.forEach(this::addOperation);
      return this;
    }

    /** Appends one KMS operation, such as {@code Decrypt}, as CloudTrail names it. */
    public Builder addOperation(String operation) {
      operations.add(Objects.requireNonNull(operation, "operation"));
      return this;
    }

    /**
     * Sets how many events were summed.
     *
     * @throws IllegalArgumentException if the count is below 1
     */
    public Builder eventCount(long eventCount) {
      if (eventCount < 1) {
        throw new IllegalArgumentException(
            String.format(
                "key caller eventCount [%d] is below 1; a caller has events", eventCount));
      }
      this.eventCount = eventCount;
      return this;
    }

    /** Sets when the oldest of the caller's events happened. */
    public Builder firstSeen(Instant firstSeen) {
      this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
      return this;
    }

    /** Sets when the newest of the caller's events happened. */
    public Builder lastSeen(Instant lastSeen) {
      this.lastSeen = Objects.requireNonNull(lastSeen, "lastSeen");
      return this;
    }

    /**
     * Returns the caller.
     *
     * @throws IllegalStateException if neither a principal ARN nor a service is set, or the event
     *     count or a date is not set
     * @throws IllegalArgumentException if the last event is older than the first
     */
    public KeyCaller build() {
      if (principalArn == null && service == null) {
        throw new IllegalStateException(
            "key caller has neither a principal ARN nor a service; set principalArn(...) or"
                + " service(...) before build()");
      }
      if (eventCount < 1) {
        throw missing("key caller", "event count", "eventCount(...)");
      }
      if (firstSeen == null) {
        throw missing("key caller", "first event date", "firstSeen(...)");
      }
      if (lastSeen == null) {
        throw missing("key caller", "last event date", "lastSeen(...)");
      }
      return new KeyCaller(
          principalArn, service, serviceEvidence, operations, eventCount, firstSeen, lastSeen);
    }
  }
}
