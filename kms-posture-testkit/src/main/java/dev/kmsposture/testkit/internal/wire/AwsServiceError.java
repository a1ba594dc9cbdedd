package dev.kmsposture.testkit.internal.wire;

import java.util.Objects;

/**
 * An error an emulated service answers with, in AWS's shape: an HTTP status, an error code (the
 * wire {@code __type}, such as {@code NotFoundException}) and AWS's message.
 *
 * <p>The SDK turns the code into the modelled exception class where the service model has one (for
 * KMS, {@code KMSInvalidStateException} becomes {@code KmsInvalidStateException}), and into the
 * service's base exception with the code in {@code awsErrorDetails} otherwise.
 */
public final class AwsServiceError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final String code;

  private AwsServiceError(int httpStatus, String code, String message) {
    super(message, null, false, false);
    this.httpStatus = httpStatus;
    this.code = Objects.requireNonNull(code, "code");
  }

  /** A client error (HTTP 400): the request was wrong for the state it found. */
  public static AwsServiceError client(String code, String message) {
    return new AwsServiceError(400, code, message);
  }

  /** A client error with another 4xx status (for example 404 for unknown STS roles). */
  public static AwsServiceError client(int httpStatus, String code, String message) {
    if (httpStatus < 400 || httpStatus > 499) {
      throw new IllegalArgumentException(
          String.format("client error status [%d] is not 4xx", httpStatus));
    }
    return new AwsServiceError(httpStatus, code, message);
  }

  /** A service fault (HTTP 500 unless given): the SDK retries it. */
  public static AwsServiceError fault(int httpStatus, String code, String message) {
    if (httpStatus < 500 || httpStatus > 599) {
      throw new IllegalArgumentException(String.format("fault status [%d] is not 5xx", httpStatus));
    }
    return new AwsServiceError(httpStatus, code, message);
  }

  /** The HTTP status of the response. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The wire error code, such as {@code NotFoundException}. */
  public String code() {
    return code;
  }
}
