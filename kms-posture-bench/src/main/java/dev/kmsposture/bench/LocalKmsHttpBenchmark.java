package dev.kmsposture.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.LocalKmsServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The embedded KMS over real HTTP: a {@link LocalKmsServer} on 127.0.0.1 serving Encrypt, Decrypt
 * (1 KiB with a two-pair encryption context) and DescribeKey to several client threads, each on its
 * own keep-alive connection. The {@code transport} parameter picks the client:
 *
 * <ul>
 *   <li>{@code http}: a real SDK {@code KmsClient} with the SDK's default HTTP client (Apache
 *       HttpClient 5 on this classpath, keep-alive, a pool of up to 50 connections), which
 *       marshals, signs and unmarshals every call — what a test suite on the same host gets. The
 *       client's work shares the two cores with the server's, and is the larger part;
 *   <li>{@code http-lean}: the server's throughput under a lean load generator: requests the SDK
 *       marshalled and signed once (at set-up, so byte for byte what the SDK sends), written as-is
 *       to a raw keep-alive socket per thread; each response's status line and headers are parsed
 *       and its body read in full, and its status and length checked. The signature is not
 *       re-computed per call (the server, like every emulator, does not verify it);
 *   <li>{@code in-process}: the same SDK calls without a socket, for comparison.
 * </ul>
 *
 * <p>The target is at least 5,000 requests/s on two cores: {@code http-lean} measures the server
 * against it; {@code http} is reported beside it.
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar LocalKmsHttpBenchmark -f 1 -wi 15 -w 3s -i 5 -r 3s
 * </pre>
 *
 * <p>Warm-up is long on purpose: on two cores the JIT needs tens of seconds to compile the SDK, its
 * HTTP client and the JDK's server (the throughput of {@code http} more than doubles between the
 * tenth and the fortieth second), so a short warm-up measures the compiler, not the server.
 *
 * <p>On a shared machine the throughput depends on what else runs. The benchmark therefore also
 * prints, at the end of each trial, the process CPU time per request over the measurement
 * iterations (client, server, JIT and GC together) and the requests per second that two dedicated
 * cores would serve at that cost: {@code 2 s / (CPU time per request)}, and the part of it that the
 * server's threads used.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 15, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(4)
@Fork(1)
public class LocalKmsHttpBenchmark {
  private static final String HTTP = "http";
  private static final String HTTP_LEAN = "http-lean";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How the client reaches the KMS: the SDK over HTTP, pre-signed requests over raw keep-alive
   * sockets, or the SDK in-process.
   */
  @Param({HTTP, HTTP_LEAN, "in-process"})
  public String transport = HTTP;

  private LocalKms kms = LocalKms.create();
  private AutoCloseable server = () -> {};
  private int port;
  private KmsClient client = kms.kmsClient(Region.US_EAST_1);
  private String keyId = "";
  private SdkBytes plaintext = SdkBytes.fromByteArray(new byte[0]);
  private SdkBytes blob = SdkBytes.fromByteArray(new byte[0]);
  private final Map<String, String> context =
      Map.of("aws:s3:arn", "arn:aws:s3:::bucket/key", "purpose", "bench");
  private LeanRequest leanEncrypt = LeanRequest.NONE;
  private LeanRequest leanDecrypt = LeanRequest.NONE;
  private LeanRequest leanDescribeKey = LeanRequest.NONE;

  private final AtomicLong requests = new AtomicLong();
  private long measuredRequests;
  private long measuredCpuNanos;
  private long iterationRequests;
  private long iterationCpuNanos;
  private long measuredServerNanos;
  private long iterationServerNanos;

  /** Creates the benchmark state; JMH calls this. */
  public LocalKmsHttpBenchmark() {}

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The CPU time of the server's threads so far: its request threads ({@code local-kms-http-*}) and
   * the JDK server's dispatcher thread, which accepts and reads the connections.
   */
  private static long serverCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith("local-kms-http-")
              || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        total += Math.max(0, cpu);
      }
    }
    return total;
  }

  /** Notes the CPU time and request count at the start of an iteration. */
  @Setup(Level.Iteration)
  public void iterationStart() {
    iterationRequests = requests.get();
    iterationCpuNanos = processCpuNanos();
    iterationServerNanos = serverCpuNanos();
  }

  /**
   * Adds a measurement iteration's CPU time and requests to the trial's totals.
   *
   * @param iteration which iteration ended; warmup iterations are not counted
   */
  @TearDown(Level.Iteration)
  public void iterationEnd(IterationParams iteration) {
    if (iteration.getType() == IterationType.MEASUREMENT) {
      measuredRequests += requests.get() - iterationRequests;
      measuredCpuNanos += processCpuNanos() - iterationCpuNanos;
      measuredServerNanos += serverCpuNanos() - iterationServerNanos;
    }
  }

  /**
   * Starts the server, makes a key and a blob once per trial, checks the round trip, and (for
   * {@code http-lean}) has the SDK marshal and sign the three requests once.
   *
   * @throws IOException if a lean request cannot be checked against the server
   */
  @Setup(Level.Trial)
  public void start() throws IOException {
    kms = LocalKms.create();
    client.close();
    if (transport.equals(HTTP) || transport.equals(HTTP_LEAN)) {
      LocalKmsServer http = LocalKmsServer.start(kms);
      server = http;
      port = http.port();
      client = http.kmsClient(Region.US_EAST_1);
    } else {
      client = kms.kmsClient(Region.US_EAST_1);
    }
    keyId = client.createKey().keyMetadata().keyId();
    byte[] bytes = new byte[1024];
    Arrays.fill(bytes, (byte) 7);
    plaintext = SdkBytes.fromByteArray(bytes);
    blob = sdkEncrypt(client);
    SdkBytes back = sdkDecrypt(client);
    if (!back.equals(plaintext)) {
      throw new IllegalStateException("the benchmark blob does not decrypt to its plaintext");
    }
    if (transport.equals(HTTP_LEAN)) {
      prepareLeanRequests();
    }
  }

  /** Captures the SDK's signed requests and checks the server's answer to each once. */
  private void prepareLeanRequests() throws IOException {
    Capture capture = new Capture();
    try (KmsClient capturing =
        KmsClient.builder()
            .httpClient(capture)
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:" + port))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalKms.DEFAULT_ACCESS_KEY_ID, "local-kms-secret")))
            .build()) {
      sdkEncrypt(capturing);
      byte[] encrypt = capture.request();
      sdkDecrypt(capturing);
      byte[] decrypt = capture.request();
      capturing.describeKey(b -> b.keyId(keyId));
      byte[] describeKey = capture.request();
      try (LeanConnection connection = LeanConnection.open(port)) {
        leanEncrypt = LeanRequest.checked(connection, encrypt, "CiphertextBlob", -1);
        leanDescribeKey = LeanRequest.checked(connection, describeKey, "KeyMetadata", -1);
        leanDecrypt =
            LeanRequest.checked(connection, decrypt, "Plaintext", plaintext.asByteArray().length);
        byte[] decrypted =
            Base64.getDecoder()
                .decode(JSON.readTree(connection.lastBody()).get("Plaintext").asText());
        if (!Arrays.equals(decrypted, plaintext.asByteArray())) {
          throw new IllegalStateException("the lean Decrypt does not return the plaintext");
        }
      }
    }
  }

  /**
   * Stops the client and the server.
   *
   * @throws Exception if the server cannot stop
   */
  @TearDown(Level.Trial)
  public void stop() throws Exception {
    client.close();
    server.close();
    if (measuredRequests > 0) {
      double cpuMicrosPerRequest = measuredCpuNanos / 1e3 / measuredRequests;
      System.err.printf(
          "%n[%s] %d requests measured, %.1f µs of process CPU per request: %.0f requests/s on"
              + " two dedicated cores%n",
          transport, measuredRequests, cpuMicrosPerRequest, 2e6 / cpuMicrosPerRequest);
      if (transport.equals(HTTP) || transport.equals(HTTP_LEAN)) {
        double serverMicros = measuredServerNanos / 1e3 / measuredRequests;
        System.err.printf(
            "[%s] the server's threads: %.1f µs of CPU per request (%.0f requests/s on two"
                + " cores if the server had them to itself); the rest, %.1f µs, is the client's"
                + " (%s), JIT and GC%n",
            transport,
            serverMicros,
            2e6 / serverMicros,
            cpuMicrosPerRequest - serverMicros,
            transport.equals(HTTP) ? "the SDK and its HTTP client" : "the lean load generator");
      }
    }
  }

  private SdkBytes sdkEncrypt(KmsClient kmsClient) {
    return kmsClient
        .encrypt(b -> b.keyId(keyId).plaintext(plaintext).encryptionContext(context))
        .ciphertextBlob();
  }

  private SdkBytes sdkDecrypt(KmsClient kmsClient) {
    return kmsClient
        .decrypt(b -> b.ciphertextBlob(blob).keyId(keyId).encryptionContext(context))
        .plaintext();
  }

  /**
   * Encrypt of 1 KiB under a symmetric key.
   *
   * @param wire the thread's raw connection (used by {@code http-lean} only)
   * @return the ciphertext blob, or the lean response's length, so that JMH keeps the work alive
   * @throws IOException if the lean connection fails
   */
  @Benchmark
  public Object encrypt(Wire wire) throws IOException {
    requests.incrementAndGet();
    if (wire.isOpen()) {
      return leanEncrypt.send(wire.connection());
    }
    return sdkEncrypt(client);
  }

  /**
   * Decrypt of the 1 KiB blob.
   *
   * @param wire the thread's raw connection (used by {@code http-lean} only)
   * @return the plaintext, or the lean response's length, so that JMH keeps the work alive
   * @throws IOException if the lean connection fails
   */
  @Benchmark
  public Object decrypt(Wire wire) throws IOException {
    requests.incrementAndGet();
    if (wire.isOpen()) {
      return leanDecrypt.send(wire.connection());
    }
    return sdkDecrypt(client);
  }

  /**
   * DescribeKey by key id.
   *
   * @param wire the thread's raw connection (used by {@code http-lean} only)
   * @return the response, or the lean response's length, so that JMH keeps the work alive
   * @throws IOException if the lean connection fails
   */
  @Benchmark
  public Object describeKey(Wire wire) throws IOException {
    requests.incrementAndGet();
    if (wire.isOpen()) {
      return leanDescribeKey.send(wire.connection());
    }
    return client.describeKey(b -> b.keyId(keyId));
  }

  /** One benchmark thread's keep-alive connection, opened for {@code http-lean} only. */
  @State(Scope.Thread)
  public static class Wire {
    private LeanConnection connection = LeanConnection.CLOSED;

    /** Creates the thread's state; JMH calls this. */
    public Wire() {}

    /**
     * Opens the thread's connection when the transport is {@code http-lean}.
     *
     * @param benchmark the benchmark, started
     * @throws IOException if the connection cannot be opened
     */
    @Setup(Level.Trial)
    public void open(LocalKmsHttpBenchmark benchmark) throws IOException {
      if (benchmark.transport.equals(HTTP_LEAN)) {
        connection = LeanConnection.open(benchmark.port);
      }
    }

    /**
     * Closes the connection.
     *
     * @throws IOException if it cannot be closed
     */
    @TearDown(Level.Trial)
    public void close() throws IOException {
      connection.close();
      connection = LeanConnection.CLOSED;
    }

    boolean isOpen() {
      return connection != LeanConnection.CLOSED;
    }

    LeanConnection connection() {
      return connection;
    }
  }

  /** A serialised, signed request and the status and body length its answer must have. */
  @SuppressWarnings("ArrayRecordComponent") // the bytes written to the socket, never compared
  private record LeanRequest(byte[] bytes, int expectedLength) {
    static final LeanRequest NONE = new LeanRequest(new byte[0], 0);

    /**
     * Sends {@code bytes} once and keeps the length of the answer, after checking that it is a
     * success carrying {@code member} (and, when {@code valueLength} is not -1, that member's
     * Base64 value decodes to that many bytes).
     */
    static LeanRequest checked(
        LeanConnection connection, byte[] bytes, String member, int valueLength)
        throws IOException {
      int length = connection.exchange(bytes);
      JsonNode answer = JSON.readTree(connection.lastBody());
      if (!answer.has(member)) {
        throw new IllegalStateException("the lean request's answer has no " + member);
      }
      if (valueLength >= 0
          && Base64.getDecoder().decode(answer.get(member).asText()).length != valueLength) {
        throw new IllegalStateException("the lean request's " + member + " has the wrong length");
      }
      return new LeanRequest(bytes, length);
    }

    /** Sends the request and checks that the answer is a success of the expected length. */
    int send(LeanConnection connection) throws IOException {
      int length = connection.exchange(bytes);
      if (length != expectedLength) {
        // the body is not shown: a Decrypt answer carries plaintext
        throw new IllegalStateException(
            String.format("the answer has %d bytes, expected %d", length, expectedLength));
      }
      return length;
    }
  }

  /**
   * A raw HTTP/1.1 keep-alive connection to 127.0.0.1: writes a whole request, reads one response
   * (status line, headers, a body of {@code Content-Length} bytes) into a reused buffer.
   */
  private static final class LeanConnection implements AutoCloseable {
    static final LeanConnection CLOSED = new LeanConnection();
    private static final byte[] CONTENT_LENGTH =
        "\r\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private byte[] buffer = new byte[16 * 1024];
    private int bodyStart;
    private int bodyLength;

    private LeanConnection() {
      this.socket = new Socket();
      this.out = OutputStream.nullOutputStream();
      this.in = InputStream.nullInputStream();
    }

    private LeanConnection(Socket socket) throws IOException {
      this.socket = socket;
      socket.setTcpNoDelay(true);
      this.out = socket.getOutputStream();
      this.in = socket.getInputStream();
    }

    static LeanConnection open(int port) throws IOException {
      return new LeanConnection(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * Sends {@code request} and reads its response.
     *
     * @return the length of the response body
     * @throws IllegalStateException if the status is not 200
     */
    int exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      int filled = 0;
      int headerEnd = -1;
      while (headerEnd < 0) {
        if (filled == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, filled, buffer.length - filled);
        if (n < 0) {
          throw new EOFException("the server closed the connection");
        }
        int from = Math.max(0, filled - 3);
        filled += n;
        headerEnd = indexOfBlankLine(buffer, from, filled);
      }
      // "HTTP/1.1 200 OK"
      int status = (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
      int length = contentLength(buffer, headerEnd);
      bodyStart = headerEnd + 4;
      bodyLength = length;
      int total = bodyStart + length;
      if (total > buffer.length) {
        buffer = Arrays.copyOf(buffer, total);
      }
      while (filled < total) {
        int n = in.read(buffer, filled, total - filled);
        if (n < 0) {
          throw new EOFException("the server closed the connection mid-body");
        }
        filled += n;
      }
      if (status != 200) {
        throw new IllegalStateException(
            "status " + status + ": " + new String(lastBody(), StandardCharsets.UTF_8));
      }
      return length;
    }

    byte[] lastBody() {
      return Arrays.copyOfRange(buffer, bodyStart, bodyStart + bodyLength);
    }

    private static int indexOfBlankLine(byte[] bytes, int from, int to) {
      for (int i = from; i + 3 < to; i++) {
        if (bytes[i] == '\r'
            && bytes[i + 1] == '\n'
            && bytes[i + 2] == '\r'
            && bytes[i + 3] == '\n') {
          return i;
        }
      }
      return -1;
    }

    /**
     * The value of the {@code Content-Length} header (any case) in the headers before {@code end}.
     */
    private static int contentLength(byte[] bytes, int end) {
      outer:
      for (int i = 0; i + CONTENT_LENGTH.length <= end + 2; i++) {
        for (int j = 0; j < CONTENT_LENGTH.length; j++) {
          byte b = bytes[i + j];
          byte lower = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
          if (lower != CONTENT_LENGTH[j]) {
            continue outer;
          }
        }
        int at = i + CONTENT_LENGTH.length;
        while (bytes[at] == ' ') {
          at++;
        }
        int value = 0;
        while (bytes[at] >= '0' && bytes[at] <= '9') {
          value = value * 10 + (bytes[at] - '0');
          at++;
        }
        return value;
      }
      throw new IllegalStateException("the response has no Content-Length");
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * An SDK HTTP client that keeps each request as the bytes an HTTP/1.1 client would send, and
   * answers with an empty JSON object (the SDK then fails to unmarshal or returns empty fields,
   * which the caller ignores).
   */
  private static final class Capture implements SdkHttpClient {
    private byte[] last = new byte[0];

    byte[] request() {
      return last.clone();
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
              body = in.readAllBytes();
            }
          } else {
            body = new byte[0];
          }
          StringBuilder head = new StringBuilder();
          head.append(http.method().name())
              .append(' ')
              .append(http.encodedPath().isEmpty() ? "/" : http.encodedPath())
              .append(" HTTP/1.1\r\n");
          http.forEachHeader(
              (name, values) ->
                  values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n")));
          if (http.firstMatchingHeader("Host").isEmpty()) {
            head.append("Host: ")
                .append(http.host())
                .append(':')
                .append(http.port())
                .append("\r\n");
          }
          if (http.firstMatchingHeader("Content-Length").isEmpty()) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
          }
          head.append("\r\n");
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          bytes.write(head.toString().getBytes(StandardCharsets.UTF_8));
          bytes.write(body);
          last = bytes.toByteArray();
          byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpFullResponse.builder()
                      .statusCode(200)
                      .putHeader("Content-Type", "application/x-amz-json-1.1")
                      .putHeader("Content-Length", Integer.toString(empty.length))
                      .build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(empty)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }
}
