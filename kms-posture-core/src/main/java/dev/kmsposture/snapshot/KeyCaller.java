package dev.kmsposture.snapshot;

import java.time.Instant;
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
}
