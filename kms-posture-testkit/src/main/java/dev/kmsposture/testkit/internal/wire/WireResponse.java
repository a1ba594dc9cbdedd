package dev.kmsposture.testkit.internal.wire;

import java.util.Map;
import java.util.Objects;

/**
 * A raw HTTP response: status, headers and body.
 *
 * @param status the HTTP status code
 * @param headers one value per header name
 * @param body the response body
 */
public record WireResponse(int status, Map<String, String> headers, byte[] body) {
  /** Copies the headers and checks for nulls. */
  public WireResponse {
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    Objects.requireNonNull(body, "body");
  }
}
