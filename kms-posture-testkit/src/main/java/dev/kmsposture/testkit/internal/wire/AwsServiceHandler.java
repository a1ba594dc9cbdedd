package dev.kmsposture.testkit.internal.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One emulated AWS service: answers a decoded call with a JSON result or an {@link
 * AwsServiceError}.
 */
@FunctionalInterface
public interface AwsServiceHandler {
  /**
   * Handles {@code call}.
   *
   * @return the response body as JSON (for query-protocol services, the dispatcher renders it as
   *     XML)
   * @throws AwsServiceError when the service answers with an error
   */
  JsonNode handle(AwsCall call);
}
