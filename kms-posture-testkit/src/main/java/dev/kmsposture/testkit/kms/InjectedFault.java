package dev.kmsposture.testkit.kms;

import java.time.Instant;
import java.util.Objects;

/**
 * One fault that hit one request, as {@link Faults#injected()} lists them.
 *
 * @param at when the request arrived, on the emulator's clock
 * @param requestId the request's {@code x-amzn-RequestId}
 * @param service the service, such as {@code kms}
 * @param operation the operation, such as {@code Decrypt}
 * @param fault the fault that hit it
 * @param errorCode the error code it was answered with, or empty for latency and timeouts
 */
public record InjectedFault(
    Instant at, String requestId, String service, String operation, Fault fault, String errorCode) {
  /** Checks for nulls. */
  public InjectedFault {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(errorCode, "errorCode");
  }
}
