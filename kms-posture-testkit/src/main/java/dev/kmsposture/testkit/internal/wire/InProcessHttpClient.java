package dev.kmsposture.testkit.internal.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * An SDK HTTP client that hands each request to a {@link WireDispatcher} in the same process,
 * without a socket: the SDK marshals, signs, retries and unmarshals exactly as against AWS.
 */
public final class InProcessHttpClient implements SdkHttpClient {
  // the most a stream's own count is trusted with, as the size of the first array read into
  private static final int MAX_LENGTH_HINT = 1 << 20;
  private final WireDispatcher dispatcher;

  /** Creates a client over {@code dispatcher}. */
  public InProcessHttpClient(WireDispatcher dispatcher) {
    this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        SdkHttpRequest http = request.httpRequest();
        byte[] body;
        if (request.contentStreamProvider().isPresent()) {
          try (InputStream in = request.contentStreamProvider().get().newStream()) {
            body = RequestBodies.read(in, lengthHint(in, http), Integer.MAX_VALUE);
          }
        } else {
          body = new byte[0];
        }
        // a view over the SDK's own (case-insensitive) headers: the request reads a few of them,
        // so none is copied; matchingHeaders reads without the deep copy headers() makes
        Map<String, List<String>> headers =
            WireRequest.headersView(http::matchingHeaders, http::headers);
        WireResponse response =
            dispatcher.dispatch(
                new WireRequest(
                    http.method().name(), pathAndQuery(http), headers, body, "127.0.0.1"));
        if (response.isNoResponse()) {
          // an injected timeout after commit: the change was made, the answer never comes
          throw new SocketTimeoutException("Read timed out (the embedded service never answered)");
        }
        SdkHttpFullResponse.Builder builder =
            SdkHttpFullResponse.builder().statusCode(response.status());
        response.headers().forEach(builder::putHeader);
        return HttpExecuteResponse.builder()
            .response(builder.build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(response.body())))
            .build();
      }

      @Override
      public void abort() {
        // the call runs synchronously in the caller's thread; there is nothing to abort
      }
    };
  }

  /**
   * The size to read the body at first: what the SDK's stream says it holds (the bytes of the
   * request, in memory), or else the declared {@code Content-Length}. Only a hint: {@link
   * RequestBodies#read} reads the whole stream whatever it says; the stream answers without the
   * look-up of a header by name in the SDK's case-insensitive map.
   */
  private static long lengthHint(InputStream in, SdkHttpRequest http) throws IOException {
    int available = in.available();
    if (available > 0 && available <= MAX_LENGTH_HINT) {
      return available;
    }
    return RequestBodies.declaredLength(http.firstMatchingHeader("Content-Length").orElse(""));
  }

  private static String pathAndQuery(SdkHttpRequest http) {
    String path = http.encodedPath().isEmpty() ? "/" : http.encodedPath();
    // numRawQueryParameters counts without the copy rawQueryParameters() makes
    if (http.numRawQueryParameters() == 0) {
      return path;
    }
    StringBuilder query = new StringBuilder(path).append('?');
    http.rawQueryParameters()
        .forEach(
            (name, values) ->
                values.forEach(
                    value ->
                        query
                            .append(query.charAt(query.length() - 1) == '?' ? "" : "&")
                            .append(SdkHttpUtils.urlEncode(name))
                            .append('=')
                            .append(SdkHttpUtils.urlEncode(value))));
    return query.toString();
  }

  @Override
  public String clientName() {
    return "kms-posture-local";
  }

  @Override
  public void close() {
    // the dispatcher belongs to LocalKms, which outlives its clients
  }
}
