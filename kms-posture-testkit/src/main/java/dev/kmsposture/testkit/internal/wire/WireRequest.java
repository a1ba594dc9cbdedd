package dev.kmsposture.testkit.internal.wire;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
    Objects.requireNonNull(headers, "headers");
    if (!(headers instanceof Headers)) {
      headers = Headers.copyOf(headers);
    }
  }

  /**
   * Returns a read-only view of headers that a transport already holds, without copying them: what
   * {@link #header} reads per request. {@code lookup} must find a name in any case, and answer null
   * or an empty list for a header the request lacks; {@code all} gives every header, read only when
   * the whole map is asked for (a copy is then taken).
   *
   * @param lookup the values of one header, by name in any case
   * @param all every header
   */
  public static Map<String, List<String>> headersView(
      Function<String, @Nullable List<String>> lookup,
      Supplier<? extends Map<String, List<String>>> all) {
    return Headers.view(lookup, all);
  }

  /**
   * Header values by name, names compared without case, unmodifiable: what a request holds. One
   * built by {@link #copyOf} or {@link #view} is taken by the constructor without a second copy.
   */
  static final class Headers extends AbstractMap<String, List<String>> {
    // the headers themselves, or null for a view (a view reads them where the transport holds
    // them, and makes no map of its own on every request)
    private final @Nullable TreeMap<String, List<String>> byName;
    private final Function<String, @Nullable List<String>> lookup;
    private final @Nullable Supplier<? extends Map<String, List<String>>> all;
    private volatile @Nullable Headers copied;

    private Headers() {
      TreeMap<String, List<String>> own = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      this.byName = own;
      this.lookup = own::get;
      this.all = null;
    }

    private Headers(
        Function<String, @Nullable List<String>> lookup,
        Supplier<? extends Map<String, List<String>>> all) {
      this.byName = null;
      this.lookup = lookup;
      this.all = all;
    }

    /** The case-insensitive copy of {@code headers} (every list copied too). */
    static Headers copyOf(Map<String, List<String>> headers) {
      Headers copy = new Headers();
      headers.forEach(copy::add);
      return copy;
    }

    /** The empty map, to be filled with {@link #add} before it is handed to a request. */
    static Headers builder() {
      return new Headers();
    }

    /** See {@link WireRequest#headersView}. */
    static Headers view(
        Function<String, @Nullable List<String>> lookup,
        Supplier<? extends Map<String, List<String>>> all) {
      return new Headers(
          Objects.requireNonNull(lookup, "lookup"), Objects.requireNonNull(all, "all"));
    }

    /** Adds {@code name} (a later value list of the same name, in any case, replaces it). */
    void add(String name, List<String> values) {
      TreeMap<String, List<String>> own = byName;
      if (own == null) {
        throw new IllegalStateException("bug in kms-posture: a header view is read-only");
      }
      own.put(Objects.requireNonNull(name, "header name"), List.copyOf(values));
    }

    @Override
    public @Nullable List<String> get(@Nullable Object name) {
      if (!(name instanceof String text)) {
        return null;
      }
      List<String> values = lookup.apply(text);
      return values == null || values.isEmpty() ? null : values;
    }

    @Override
    public boolean containsKey(@Nullable Object name) {
      return get(name) != null;
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
      TreeMap<String, List<String>> own = byName;
      if (own != null) {
        return Collections.unmodifiableMap(own).entrySet();
      }
      Supplier<? extends Map<String, List<String>>> source = Objects.requireNonNull(all);
      Headers copy = copied;
      if (copy == null) {
        copy = copyOf(source.get());
        copied = copy;
      }
      return copy.entrySet();
    }
  }

  /** The first value of header {@code name}, or the empty string. */
  public String header(String name) {
    // the map is case-insensitive (see the constructor): no lower-casing copy of the name
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }
}
