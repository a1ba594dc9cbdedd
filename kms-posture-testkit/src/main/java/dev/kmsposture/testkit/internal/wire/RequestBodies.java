package dev.kmsposture.testkit.internal.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads request bodies for both transports. With a declared length (Content-Length) it reads into
 * an array of exactly that size: {@link InputStream#readAllBytes()} and {@link
 * InputStream#readNBytes(int)} read in 8 KiB chunks and copy, several times a KMS request's few
 * hundred bytes, on every call.
 */
public final class RequestBodies {
  private RequestBodies() {}

  /**
   * Reads the body from {@code in}: all of it, or {@code limit + 1} bytes at most, so that the
   * caller can tell a body over {@code limit} ({@link Integer#MAX_VALUE}: no limit).
   *
   * @param in the body
   * @param declared the length the request declares, or -1 when it declares none
   * @param limit the most bytes the caller accepts
   * @throws IOException if the body cannot be read
   */
  public static byte[] read(InputStream in, long declared, int limit) throws IOException {
    if (declared < 0 || declared > limit) {
      return limit == Integer.MAX_VALUE ? in.readAllBytes() : in.readNBytes(limit + 1);
    }
    byte[] body = new byte[(int) declared];
    int n = in.readNBytes(body, 0, body.length);
    if (n < body.length) {
      return Arrays.copyOf(body, n);
    }
    int next = in.read();
    if (next < 0) {
      return body;
    }
    // more than was declared: keep reading, as without a declared length
    byte[] rest =
        limit == Integer.MAX_VALUE ? in.readAllBytes() : in.readNBytes(limit - body.length);
    byte[] all = Arrays.copyOf(body, body.length + 1 + rest.length);
    all[body.length] = (byte) next;
    System.arraycopy(rest, 0, all, body.length + 1, rest.length);
    return all;
  }

  /**
   * The length a {@code Content-Length} value declares, or -1 when it is absent or not a length.
   */
  public static long declaredLength(String contentLength) {
    if (contentLength.isEmpty() || contentLength.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < contentLength.length(); i++) {
      char ch = contentLength.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      n = n * 10 + (ch - '0');
    }
    return n;
  }
}
