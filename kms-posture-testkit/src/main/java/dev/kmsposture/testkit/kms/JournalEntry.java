package dev.kmsposture.testkit.kms;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request the embedded KMS answered, or one event it raised on its own (an automatic rotation,
 * a key deleted when its waiting period ended), as CloudTrail would record it.
 *
 * <p>Entries never hold plaintext, data keys, ciphertext or key material: {@link
 * #requestParametersJson()} keeps only what CloudTrail logs for the operation (key ids, encryption
 * context, grant constraints, the pending window, …).
 *
 * @param eventTime when the request arrived or the event happened, on the emulator's clock
 * @param eventId a unique id, the {@code CloudTrailEventId} that {@code GetKeyLastUsage} reports
 * @param requestId the {@code x-amzn-RequestId} of the response, or empty for service events
 * @param eventType {@code AwsApiCall} for requests, {@code AwsServiceEvent} for events KMS raised
 * @param service the emulated service, such as {@code kms}
 * @param operation the operation or event name, such as {@code Decrypt} or {@code RotateKey}
 * @param region the Region of the request
 * @param caller who made the request; for service events, the root of the key's account
 * @param keyArns the ARNs of the keys the request touched (two for {@code ReEncrypt}), possibly
 *     empty
 * @param errorCode the error code of a failed request, or null when it succeeded
 * @param readOnly whether CloudTrail records the operation as a read-only management event
 * @param userAgent the request's {@code User-Agent}, or empty
 * @param sourceIpAddress the client address
 * @param requestParametersJson the logged request parameters as a JSON object, never with secrets
 * @param errorMessage the error message of a failed request, or null when it succeeded (or when the
 *     recorder did not know it: the wire layer fills it in for every error it answers)
 */
public record JournalEntry(
    Instant eventTime,
    String eventId,
    String requestId,
    String eventType,
    String service,
    String operation,
    String region,
    Caller caller,
    List<String> keyArns,
    @Nullable String errorCode,
    boolean readOnly,
    String userAgent,
    String sourceIpAddress,
    String requestParametersJson,
    @Nullable String errorMessage) {

  /** Copies the key ARNs and checks for nulls. */
  public JournalEntry {
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(caller, "caller");
    keyArns = List.copyOf(keyArns);
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(sourceIpAddress, "sourceIpAddress");
    Objects.requireNonNull(requestParametersJson, "requestParametersJson");
  }

  /**
   * Creates an entry without an error message; the wire layer adds the message of every error it
   * answers to the entries of that request.
   */
  public JournalEntry(
      Instant eventTime,
      String eventId,
      String requestId,
      String eventType,
      String service,
      String operation,
      String region,
      Caller caller,
      List<String> keyArns,
      @Nullable String errorCode,
      boolean readOnly,
      String userAgent,
      String sourceIpAddress,
      String requestParametersJson) {
    this(
        eventTime,
        eventId,
        requestId,
        eventType,
        service,
        operation,
        region,
        caller,
        keyArns,
        errorCode,
        readOnly,
        userAgent,
        sourceIpAddress,
        requestParametersJson,
        null);
  }

  /** Returns a copy of this entry that failed with {@code code} and {@code message}. */
  JournalEntry withError(String code, String message) {
    return new JournalEntry(
        eventTime,
        eventId,
        requestId,
        eventType,
        service,
        operation,
        region,
        caller,
        keyArns,
        code,
        readOnly,
        userAgent,
        sourceIpAddress,
        requestParametersJson,
        message);
  }

  /** Whether the request succeeded. */
  public boolean succeeded() {
    return errorCode == null;
  }
}
