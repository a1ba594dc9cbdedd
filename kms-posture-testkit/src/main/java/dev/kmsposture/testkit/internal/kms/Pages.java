package dev.kmsposture.testkit.internal.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Pagination as every KMS List operation does it: {@code Limit} (each operation's range and
 * default), an opaque {@code Marker}, and {@code Truncated} with {@code NextMarker} in the
 * response. A marker names the last item returned, so a page after a deletion resumes correctly; a
 * marker from another operation is an {@code InvalidMarkerException}.
 */
final class Pages {
  private static final Pattern MARKER = Pattern.compile("[\\u0020-\\u00FF]*");

  private Pages() {}

  /** A validated page request. */
  record PageRequest(@Nullable Integer limit, @Nullable String marker) {}

  /** Reads Limit and Marker, recording constraint problems on {@code in}. */
  static PageRequest read(Request in, int maxLimit) {
    Integer limit = in.optionalInt("Limit", 1, maxLimit);
    String marker = in.optionalString("Marker", 1, 1024, MARKER);
    return new PageRequest(limit, marker);
  }

  /**
   * Returns the page of {@code sorted} (ordered by {@code sortKey}) that {@code request} asks for
   * and writes {@code Truncated} and {@code NextMarker} into {@code out}.
   *
   * @param configMax the engine's configured page cap, or 0 for none
   */
  static <T> List<T> page(
      String operation,
      PageRequest request,
      List<T> sorted,
      Function<T, String> sortKey,
      int defaultLimit,
      int configMax,
      ObjectNode out) {
    int limit = request.limit() == null ? defaultLimit : request.limit();
    if (configMax > 0) {
      limit = Math.min(limit, configMax);
    }
    int start = 0;
    if (request.marker() != null) {
      String after = decode(operation, request.marker());
      while (start < sorted.size() && sortKey.apply(sorted.get(start)).compareTo(after) <= 0) {
        start++;
      }
    }
    int end = Math.min(sorted.size(), start + limit);
    List<T> page = new ArrayList<>(sorted.subList(start, end));
    boolean truncated = end < sorted.size();
    if (truncated) {
      out.put("NextMarker", encode(operation, sortKey.apply(sorted.get(end - 1))));
    }
    out.put("Truncated", truncated);
    return page;
  }

  /** A zero-padded sequence number, so that markers sort as numbers. */
  static String seqKey(long seq) {
    return String.format("%019d", seq);
  }

  private static String encode(String operation, String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((operation + "\n" + lastKey).getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String operation, String marker) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw KmsErrors.invalidMarker();
    }
    int nl = text.indexOf('\n');
    if (nl < 0 || !text.substring(0, nl).equals(operation)) {
      throw KmsErrors.invalidMarker();
    }
    return text.substring(nl + 1);
  }
}
