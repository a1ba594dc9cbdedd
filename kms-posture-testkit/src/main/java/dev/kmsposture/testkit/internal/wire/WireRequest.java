package dev.kmsposture.testkit.internal.wire;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A raw HTTP request as either transport hands it over: method, path, headers (names compared
 * without case) and body.
 *
 * @param method the HTTP method, such as {@code POST}
 * @param path the request path, such as {@code /}
 * @param headers header values by name; the map is copied into a case-insensitive one
 * @param body the request body (may be empty)
 * @param sourceIpAddress the client address
 */
@SuppressWarnings("ArrayRecordComponent") // a request passed on to the engine, never compared
public record WireRequest(
    String method,
    String path,
    Map<String, List<String>> headers,
    byte[] body,
    String sourceIpAddress) {

  /** Copies the headers into an unmodifiable case-insensitive map and checks for nulls. */
  public WireRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(sourceIpAddress, "sourceIpAddress");
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Objects.requireNonNull(headers, "headers")
        .forEach((name, values) -> copy.put(name, List.copyOf(values)));
    headers = java.util.Collections.unmodifiableMap(copy);
  }

  /** The first value of header {@code name}, or the empty string. */
  public String header(String name) {
    // the map is case-insensitive (see the constructor): no lower-casing copy of the name
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }
}
