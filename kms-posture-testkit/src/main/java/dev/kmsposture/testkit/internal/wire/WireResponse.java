package dev.kmsposture.testkit.internal.wire;

import java.util.Map;
import java.util.Objects;

/**
 * A raw HTTP response: status, headers and body; or, for an injected timeout, no response at all
 * ({@link #isNoResponse()}), on which the transport drops the connection unanswered.
 *
 * @param status the HTTP status code, or 0 for "no response"
 * @param headers one value per header name
 * @param body the response body
 */
@SuppressWarnings("ArrayRecordComponent") // a response written to the wire, never compared
public record WireResponse(int status, Map<String, String> headers, byte[] body) {
  /** Copies the headers and checks the status and for nulls. */
  public WireResponse {
    if (status != 0 && (status < 100 || status > 599)) {
      throw new IllegalArgumentException(
          String.format("status [%d] is not an HTTP status; expected 100-599, or 0", status));
    }
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    Objects.requireNonNull(body, "body");
  }

  /** Returns the marker for "the service never answers": the transport drops the connection. */
  public static WireResponse noResponse() {
    return new WireResponse(0, Map.of(), new byte[0]);
  }

  /** Whether the transport must drop the connection instead of answering. */
  public boolean isNoResponse() {
    return status == 0;
  }
}
