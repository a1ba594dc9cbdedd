package dev.kmsposture.testkit.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks that a test talks only to loopback: {@code 127.0.0.0/8}, {@code ::1} or {@code localhost}.
 *
 * <p>Call it before a test opens a connection or binds a server, so that a wrong endpoint fails the
 * test instead of sending traffic off the machine:
 *
 * <pre>{@code
 * URI endpoint = URI.create("http://127.0.0.1:" + port);
 * LoopbackOnly.requireLoopback(endpoint);
 * }</pre>
 *
 * <p>Host names other than {@code localhost} are rejected without a DNS lookup, because a lookup is
 * itself network traffic and its answer can change.
 */
public final class LoopbackOnly {
  private LoopbackOnly() {}

  /**
   * Throws unless {@code address} is a loopback address ({@code 127.0.0.0/8} or {@code ::1}).
   *
   * @param address the address a test is about to use
   * @throws NullPointerException if {@code address} is null
   * @throws IllegalArgumentException if {@code address} is not a loopback address
   */
  public static void requireLoopback(InetAddress address) {
    Objects.requireNonNull(address, "address");
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException(
          String.format(
              "address [%s] is not loopback; tests may only talk to 127.0.0.0/8 or ::1",
              address.getHostAddress()));
    }
  }

  /**
   * Throws unless the host of {@code uri} is {@code localhost} or a loopback IP literal.
   *
   * @param uri the endpoint a test is about to use, such as {@code http://127.0.0.1:8080}
   * @throws NullPointerException if {@code uri} is null
   * @throws IllegalArgumentException if {@code uri} has no host, or its host is not loopback
   */
  public static void requireLoopback(URI uri) {
    Objects.requireNonNull(uri, "uri");
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          String.format(
              "uri [%s] has no host; expected a loopback endpoint such as http://127.0.0.1:8080",
              uri));
    }
    if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
      return;
    }
    String literal =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!isIpLiteral(literal)) {
      throw new IllegalArgumentException(
          String.format(
              "host [%s] of uri [%s] is not loopback; tests may only talk to localhost, 127.0.0.0/8"
                  + " or ::1",
              host, uri));
    }
    InetAddress address;
    try {
      // An IP literal is parsed, never looked up.
      address = InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          String.format("host [%s] of uri [%s] is not a valid IP address", host, uri), e);
    }
    requireLoopback(address);
  }

  private static boolean isIpLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true; // IPv6 literals always contain a colon; host names never do
    }
    return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  }
}
