package dev.kmsposture.aws.internal;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The one-line reason a failure gives in a snapshot ({@code unreadable}, {@code collectionErrors}):
 * the service's error code and message ("AccessDeniedException: User … is not authorized …"),
 * without request ids, so the same failure reads the same in every run.
 */
public final class Failures {
  private static final int MAX_LENGTH = 500;

  private Failures() {}

  /** The reason {@code failure} gives. */
  public static String reason(Throwable failure) {
    String text;
    if (failure instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      AwsErrorDetails details = service.awsErrorDetails();
      String code =
          details.errorCode() == null ? "HTTP " + service.statusCode() : details.errorCode();
      String message = details.errorMessage();
      text = message == null || message.isBlank() ? code : code + ": " + message;
      if (service.isThrottlingException()) {
        text += " (still throttled after the SDK's and the scanner's retries)";
      }
    } else if (failure instanceof ScanDeadline.Exceeded) {
      text = "not read: " + failure.getMessage();
    } else {
      String message = failure.getMessage();
      text =
          failure.getClass().getSimpleName()
              + (message == null || message.isBlank() ? "" : ": " + message);
    }
    int newline = text.indexOf('\n');
    if (newline >= 0) {
      text = text.substring(0, newline).stripTrailing();
    }
    return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH - 1) + "…";
  }
}
