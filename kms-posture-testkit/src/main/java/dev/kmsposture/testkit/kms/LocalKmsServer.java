package dev.kmsposture.testkit.kms;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kmsposture.testkit.internal.wire.RequestBodies;
import dev.kmsposture.testkit.internal.wire.WireDispatcher;
import dev.kmsposture.testkit.internal.wire.WireRequest;
import dev.kmsposture.testkit.internal.wire.WireResponse;
import dev.kmsposture.testkit.net.LoopbackOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Serves a {@link LocalKms} over real HTTP on 127.0.0.1, speaking the wire protocols of KMS and its
 * companions (AWS JSON 1.1 for KMS, CloudTrail and Organizations, dispatched on {@code
 * X-Amz-Target}; the query protocol for STS), so the AWS CLI and any language's SDK can use it.
 *
 * <pre>{@code
 * LocalKms kms = LocalKms.create();
 * try (LocalKmsServer server = LocalKmsServer.start(kms);
 *     KmsClient client = server.kmsClient(Region.US_EAST_1)) {
 *   client.createKey();
 *   // or: aws --endpoint-url <server.endpoint()> kms list-keys
 * }
 * }</pre>
 *
 * <p>The server is the JDK's {@code com.sun.net.httpserver} with a fixed pool of request threads
 * and HTTP/1.1 keep-alive. It listens on the loopback address only. Because that server writes a
 * response's headers and body separately, it needs {@code TCP_NODELAY} to answer a keep-alive
 * connection without waiting for the client's delayed acknowledgement (about 40 ms a request); this
 * class therefore sets the system property {@code sun.net.httpserver.nodelay=true} unless it is set
 * already. The JDK reads it when the first server of the JVM starts.
 */
public final class LocalKmsServer implements AutoCloseable {
  /** The largest request body accepted; KMS requests are far smaller. */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

  static {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final LocalKms kms;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI endpoint;

  private LocalKmsServer(LocalKms kms, int port, int threads) {
    this.kms = kms;
    InetAddress loopback = InetAddress.getLoopbackAddress();
    LoopbackOnly.requireLoopback(loopback);
    HttpServer created;
    try {
      created = HttpServer.create(new InetSocketAddress(loopback, port), 128);
    } catch (BindException e) {
      throw new UncheckedIOException(
          String.format(
              "cannot listen on %s:%d: the port is in use; choose another port, or 0 for a free"
                  + " one",
              loopback.getHostAddress(), port),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          String.format("cannot listen on %s:%d: %s", loopback.getHostAddress(), port, e), e);
    }
    this.server = created;
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, "local-kms-http-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    this.executor = Executors.newFixedThreadPool(threads, factory);
    WireDispatcher dispatcher = kms.dispatcher();
    server.createContext("/", exchange -> handle(dispatcher, exchange));
    server.setExecutor(executor);
    server.start();
    this.endpoint =
        URI.create("http://" + loopback.getHostAddress() + ":" + server.getAddress().getPort());
  }

  /**
   * Serves {@code kms} on a free port of 127.0.0.1.
   *
   * @throws UncheckedIOException if the server cannot listen
   */
  public static LocalKmsServer start(LocalKms kms) {
    return builder(kms).start();
  }

  /** Returns a builder for a server of {@code kms}. */
  public static Builder builder(LocalKms kms) {
    return new Builder(kms);
  }

  private static void handle(WireDispatcher dispatcher, HttpExchange exchange) {
    try (exchange) {
      Headers requestHeaders = exchange.getRequestHeaders();
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body =
            RequestBodies.read(
                in,
                RequestBodies.declaredLength(
                    Objects.requireNonNullElse(requestHeaders.getFirst("Content-Length"), "")),
                MAX_BODY_BYTES);
      }
      if (body.length > MAX_BODY_BYTES) {
        byte[] error =
            ("{\"__type\":\"RequestEntityTooLargeException\",\"message\":\"Request body is larger"
                    + " than "
                    + MAX_BODY_BYTES
                    + " bytes\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(413, error.length);
        exchange.getResponseBody().write(error);
        return;
      }
      URI uri = exchange.getRequestURI();
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (uri.getRawQuery() != null) {
        path = path + "?" + uri.getRawQuery();
      }
      WireResponse response =
          dispatcher.dispatch(
              new WireRequest(
                  exchange.getRequestMethod(),
                  path,
                  // a view: the JDK's headers already find a name in any case
                  WireRequest.headersView(requestHeaders::get, () -> requestHeaders),
                  body,
                  exchange.getRemoteAddress().getAddress().getHostAddress()));
      if (response.isNoResponse()) {
        // An injected timeout: closing the exchange before sending headers drops the connection.
        return;
      }
      for (Map.Entry<String, String> header : response.headers().entrySet()) {
        if (!header.getKey().equalsIgnoreCase("Content-Length")) {
          exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
      }
      byte[] responseBody = response.body();
      exchange.sendResponseHeaders(
          response.status(), responseBody.length == 0 ? -1 : responseBody.length);
      if (responseBody.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(responseBody);
        }
      }
    } catch (IOException e) {
      // The client went away; there is no one to answer.
    }
  }

  /** The server's base URI, such as {@code http://127.0.0.1:49152}, for {@code --endpoint-url}. */
  public URI endpoint() {
    return endpoint;
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The KMS this server serves. */
  public LocalKms localKms() {
    return kms;
  }

  /**
   * Returns a new SDK KMS client for {@code region} that talks to this server over HTTP, as the
   * default caller, with the SDK's default HTTP client. The caller closes it.
   */
  public KmsClient kmsClient(Region region) {
    return kmsClient(region, LocalKms.DEFAULT_ACCESS_KEY_ID);
  }

  /** Returns a new SDK KMS client over HTTP that signs with {@code accessKeyId}. */
  public KmsClient kmsClient(Region region, String accessKeyId) {
    Objects.requireNonNull(region, "region");
    return KmsClient.builder()
        .region(region)
        .endpointOverride(endpoint)
        .credentialsProvider(LocalKms.credentials(accessKeyId))
        .build();
  }

  /** Returns a new SDK CloudTrail client over HTTP, as the default caller. */
  public CloudTrailClient cloudTrailClient(Region region) {
    return cloudTrailClient(region, LocalKms.DEFAULT_ACCESS_KEY_ID);
  }

  /** Returns a new SDK CloudTrail client over HTTP that signs with {@code accessKeyId}. */
  public CloudTrailClient cloudTrailClient(Region region, String accessKeyId) {
    Objects.requireNonNull(region, "region");
    return CloudTrailClient.builder()
        .region(region)
        .endpointOverride(endpoint)
        .credentialsProvider(LocalKms.credentials(accessKeyId))
        .build();
  }

  /** Returns a new SDK STS client over HTTP, as the default caller. */
  public StsClient stsClient(Region region) {
    return stsClient(region, LocalKms.DEFAULT_ACCESS_KEY_ID);
  }

  /** Returns a new SDK STS client over HTTP that signs with {@code accessKeyId}. */
  public StsClient stsClient(Region region, String accessKeyId) {
    Objects.requireNonNull(region, "region");
    return StsClient.builder()
        .region(region)
        .endpointOverride(endpoint)
        .credentialsProvider(LocalKms.credentials(accessKeyId))
        .build();
  }

  /**
   * Stops listening, lets requests in progress finish (up to a second), and releases the port.
   * Idempotent.
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "LocalKmsServer[" + endpoint + "]";
  }

  /** Builds and starts a {@link LocalKmsServer}. */
  public static final class Builder {
    private final LocalKms kms;
    private int port;
    private int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    private Builder(LocalKms kms) {
      this.kms = Objects.requireNonNull(kms, "kms");
    }

    /**
     * Sets the port on 127.0.0.1; 0 (the default) picks a free one.
     *
     * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException(
            String.format("port [%d] is not 0 to 65535; use 0 for a free port", port));
      }
      this.port = port;
      return this;
    }

    /**
     * Sets how many requests are served at once (at least 8, four per processor, by default); idle
     * keep-alive connections hold no thread.
     *
     * @throws IllegalArgumentException if {@code threads} is below 1
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException(String.format("threads [%d] is below 1", threads));
      }
      this.threads = threads;
      return this;
    }

    /**
     * Starts the server.
     *
     * @throws UncheckedIOException if it cannot listen (the port is in use, …)
     */
    public LocalKmsServer start() {
      return new LocalKmsServer(kms, port, threads);
    }
  }
}
