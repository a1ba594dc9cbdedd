package dev.kmsposture.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.internal.kms.KmsEngine;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.RequestJournal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The embedded KMS in-process on one thread: Decrypt (a 32-byte data key under a two-pair
 * encryption context, as envelope encryption does) and DescribeKey, each measured two ways:
 *
 * <ul>
 *   <li>{@code sdk*}: through a real SDK {@code KmsClient} whose HTTP client answers in-process —
 *       what a test pays per call (the SDK's marshalling, signing, interceptors and unmarshalling
 *       included);
 *   <li>{@code sdkDecryptCanned}: the same SDK client over an HTTP client that reads each request
 *       body (as any HTTP client must, to send it) and answers with one fixed Decrypt response —
 *       what the SDK alone costs per call, the ceiling of {@code sdkDecrypt} on this machine;
 *   <li>{@code serverDecrypt}: the server side of {@code sdkDecrypt} alone — the in-process HTTP
 *       client handed one Decrypt request that the SDK marshalled and signed once, replayed as it
 *       is: the body read, the headers and credential scope, the request JSON, quotas and faults,
 *       the engine (key, cryptography, last usage, journal) and the response written and read back;
 *       {@code sdkDecrypt} costs about {@code sdkDecryptCanned} plus this;
 *   <li>{@code engine*}: the engine's own work for a decoded call ({@code KmsEngine.handle}) — key
 *       resolution, the key-state check, the cryptography, last usage, the response body and the
 *       journal entry.
 * </ul>
 *
 * <p>The journal is cleared between iterations so that memory stays flat. Target: at least 50,000
 * Decrypt/s on one thread in-process.
 *
 * <p>Each iteration also prints the benchmark thread's CPU time and allocation per call, and the
 * collections and the JIT compilation time during the iteration. On the shared two-core machine the
 * wall-clock score swings with what else runs (a whole iteration can lose the core): compare the
 * CPU time per call, old against new in the same minute, and note the load average beside it. An
 * iteration with JIT time is not steady yet: the SDK's pipeline is large, and on two cores the
 * compiler needs tens of seconds for it (its allocation per call still falls while escape analysis
 * catches up); an iteration with more collections than its neighbours pays their pauses. The
 * defaults (three forks, 30 × 2 s warm-up, 5 × 4 s measured) give the JIT time to finish on a
 * lightly loaded machine and each measured iteration several collections, so that neither decides
 * the score; the JVM is the one a test gets (no options).
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar 'LocalKmsBenchmark.sdkDecrypt' -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 30, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(3)
public class LocalKmsBenchmark {
  private static final Map<String, String> CONTEXT =
      Map.of("aws:s3:arn", "arn:aws:s3:::bucket/key", "purpose", "bench");

  private LocalKms kms = LocalKms.create();
  private KmsClient client = kms.kmsClient(Region.US_EAST_1);
  private String keyId = "";
  private SdkBytes blob = SdkBytes.fromByteArray(new byte[1]);

  private final RequestJournal engineJournal = new RequestJournal();
  private final KmsEngine engine = new KmsEngine(Clock.systemUTC(), engineJournal);
  private ObjectNode decryptInput = JsonNodeFactory.instance.objectNode();
  private ObjectNode describeInput = JsonNodeFactory.instance.objectNode();
  private long requests;
  private long iterationOps;
  private long iterationCpuNanos;
  private long iterationBytes;
  private long iterationGcCount;
  private long iterationGcMillis;
  private long iterationJitMillis;
  private KmsClient cannedClient = kms.kmsClient(Region.US_EAST_1);
  private SdkHttpClient server = kms.httpClient();
  private HttpExecuteRequest signedDecrypt = emptyRequest();
  private final byte[] responseSink = new byte[8192];

  /** Creates the benchmark state; JMH calls this. */
  public LocalKmsBenchmark() {}

  /**
   * Makes a key and a data key under it, in the KMS behind the SDK client and in the engine, and
   * records one signed Decrypt request to replay.
   *
   * @throws IOException never: the in-process client reads from memory
   */
  @Setup(Level.Trial)
  public void prepare() throws IOException {
    kms = LocalKms.create();
    client = kms.kmsClient(Region.US_EAST_1);
    keyId = client.createKey().keyMetadata().keyId();
    blob =
        client
            .generateDataKeyWithoutPlaintext(
                b -> b.keyId(keyId).numberOfBytes(32).encryptionContext(CONTEXT))
            .ciphertextBlob();

    ObjectNode create = JsonNodeFactory.instance.objectNode();
    String engineKey =
        engine.handle(call("CreateKey", create)).get("KeyMetadata").get("KeyId").asText();
    ObjectNode generate = JsonNodeFactory.instance.objectNode();
    generate.put("KeyId", engineKey);
    generate.put("NumberOfBytes", 32);
    ObjectNode context = generate.putObject("EncryptionContext");
    CONTEXT.forEach(context::put);
    String engineBlob =
        engine
            .handle(call("GenerateDataKeyWithoutPlaintext", generate))
            .get("CiphertextBlob")
            .asText();
    decryptInput = JsonNodeFactory.instance.objectNode();
    decryptInput.put("CiphertextBlob", engineBlob);
    decryptInput.set("EncryptionContext", context.deepCopy());
    describeInput = JsonNodeFactory.instance.objectNode();
    describeInput.put("KeyId", engineKey);
    byte[] canned =
        ("{\"KeyId\":\"arn:aws:kms:us-east-1:123456789012:key/"
                + keyId
                + "\",\"Plaintext\":\""
                + Base64.getEncoder().encodeToString(new byte[32])
                + "\",\"EncryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}")
            .getBytes(StandardCharsets.UTF_8);
    cannedClient =
        KmsClient.builder()
            .httpClient(new CannedHttpClient(canned))
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1"))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalKms.DEFAULT_ACCESS_KEY_ID, "local-kms-secret")))
            .build();
    server = kms.httpClient();
    SignedRequestRecorder recorder = new SignedRequestRecorder(server);
    try (KmsClient recording =
        KmsClient.builder()
            .httpClient(recorder)
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1"))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(LocalKms.DEFAULT_ACCESS_KEY_ID, "local-kms-secret")))
            .build()) {
      recording.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(CONTEXT));
    }
    signedDecrypt = recorder.replay();
    if (sdkDecryptCanned().asByteArray().length != 32) {
      throw new IllegalStateException("the canned response does not unmarshal");
    }
    if (sdkDecrypt().asByteArray().length != 32
        || Base64.getDecoder().decode(engineDecrypt().get("Plaintext").asText()).length != 32
        || serverDecrypt() < 32) {
      throw new IllegalStateException("the benchmark data keys do not decrypt");
    }
  }

  /** Empties the journals, so that a long run keeps its memory flat. */
  @Setup(Level.Iteration)
  public void clearJournals() {
    kms.journal().clear();
    engineJournal.clear();
    iterationOps = 0;
    iterationCpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    iterationBytes = allocatedBytes();
    iterationGcCount = gcCount();
    iterationGcMillis = gcMillis();
    iterationJitMillis = jitMillis();
  }

  /** Milliseconds the JIT compilers spent so far, or 0 where the JVM does not count them. */
  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : 0;
  }

  /** Collections so far, over every collector. */
  private static long gcCount() {
    long count = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
    }
    return count;
  }

  /** Milliseconds spent collecting so far, over every collector. */
  private static long gcMillis() {
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, gc.getCollectionTime());
    }
    return millis;
  }

  /** The bytes this thread allocated so far, or 0 where the JVM does not count them. */
  private static long allocatedBytes() {
    return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        ? threads.getCurrentThreadAllocatedBytes()
        : 0;
  }

  /**
   * Prints the benchmark thread's CPU time and allocation per call over the iteration, and the
   * calls per second one core would make at that cost: on a shared machine, where the wall-clock
   * score depends on what else runs, these figures do not (much).
   *
   * @param iteration the iteration that ended
   */
  @TearDown(Level.Iteration)
  public void cpuPerCall(IterationParams iteration) {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - iterationCpuNanos;
    long bytes = allocatedBytes() - iterationBytes;
    if (iterationOps > 0) {
      double micros = cpu / 1e3 / iterationOps;
      System.out.printf(
          "  [%s %s] %.2f µs of CPU and %d B allocated per call on the benchmark thread: %.0f"
              + " calls/s on one core; %d collections, %d ms; JIT %d ms%n",
          iteration.getType() == IterationType.MEASUREMENT ? "measured" : "warmup",
          iteration.getCount(),
          micros,
          bytes / iterationOps,
          1e6 / micros,
          gcCount() - iterationGcCount,
          gcMillis() - iterationGcMillis,
          jitMillis() - iterationJitMillis);
    }
  }

  /** Closes the SDK client. */
  @TearDown(Level.Trial)
  public void close() {
    client.close();
    cannedClient.close();
  }

  /** Answers every request with one fixed JSON 1.1 body, as fast as an HTTP client can. */
  private static final class CannedHttpClient implements SdkHttpClient {
    private final byte[] body;
    private final SdkHttpFullResponse response;
    private final byte[] sink = new byte[8192];

    CannedHttpClient(byte[] body) {
      this.body = body;
      this.response =
          SdkHttpFullResponse.builder()
              .statusCode(200)
              .putHeader("Content-Type", "application/x-amz-json-1.1")
              .putHeader("x-amzn-RequestId", "canned")
              .putHeader("Content-Length", Integer.toString(body.length))
              .build();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() throws IOException {
          if (request.contentStreamProvider().isPresent()) {
            try (InputStream in = request.contentStreamProvider().get().newStream()) {
              while (in.read(sink) >= 0) {
                // drained, as a client sending it would
              }
            }
          }
          return HttpExecuteResponse.builder()
              .response(response)
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }

  private static HttpExecuteRequest emptyRequest() {
    return HttpExecuteRequest.builder()
        .request(
            SdkHttpRequest.builder()
                .uri(URI.create("http://127.0.0.1"))
                .method(SdkHttpMethod.POST)
                .build())
        .build();
  }

  /** Passes requests on to an HTTP client and keeps the last one, its body read, to replay. */
  private static final class SignedRequestRecorder implements SdkHttpClient {
    private final SdkHttpClient delegate;
    private HttpExecuteRequest last = emptyRequest();

    SignedRequestRecorder(SdkHttpClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      byte[] body = new byte[0];
      if (request.contentStreamProvider().isPresent()) {
        try (InputStream in = request.contentStreamProvider().get().newStream()) {
          body = in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      last =
          HttpExecuteRequest.builder()
              .request(request.httpRequest())
              .contentStreamProvider(ContentStreamProvider.fromByteArray(body))
              .build();
      return delegate.prepareRequest(last);
    }

    /** The last request, its body readable again and again. */
    HttpExecuteRequest replay() {
      return last;
    }

    @Override
    public void close() {}
  }

  private AwsCall call(String operation, ObjectNode input) {
    return new AwsCall(
        "kms",
        operation,
        "us-east-1",
        Caller.root(Caller.DEFAULT_ACCOUNT),
        input,
        "req-" + requests++,
        Instant.now(),
        "bench",
        "127.0.0.1");
  }

  /**
   * Decrypt through the SDK client.
   *
   * @return the plaintext data key
   */
  @Benchmark
  public SdkBytes sdkDecrypt() {
    iterationOps++;
    return client.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(CONTEXT)).plaintext();
  }

  /**
   * Decrypt through the same SDK client configuration over the canned HTTP client: the SDK's own
   * cost per call.
   *
   * @return the (zero) plaintext of the canned response
   */
  @Benchmark
  public SdkBytes sdkDecryptCanned() {
    iterationOps++;
    return cannedClient.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(CONTEXT)).plaintext();
  }

  /**
   * The server side of {@link #sdkDecrypt} alone: one Decrypt request, marshalled and signed by the
   * SDK once, handed to the in-process HTTP client again and again, and its response body read.
   *
   * @return the length of the response body
   * @throws IOException never: the in-process client reads from memory
   */
  @Benchmark
  public int serverDecrypt() throws IOException {
    iterationOps++;
    HttpExecuteResponse response = server.prepareRequest(signedDecrypt).call();
    if (response.httpResponse().statusCode() != 200) {
      throw new IllegalStateException("Decrypt answered " + response.httpResponse().statusCode());
    }
    int length = 0;
    try (InputStream in = response.responseBody().orElseThrow()) {
      for (int read = in.read(responseSink); read >= 0; read = in.read(responseSink)) {
        length += read;
      }
    }
    return length;
  }

  /**
   * DescribeKey through the SDK client.
   *
   * @return the key's ARN
   */
  @Benchmark
  public String sdkDescribeKey() {
    iterationOps++;
    return client.describeKey(b -> b.keyId(keyId)).keyMetadata().arn();
  }

  /**
   * Decrypt as the engine handles a decoded call.
   *
   * @return the response body
   */
  @Benchmark
  public JsonNode engineDecrypt() {
    iterationOps++;
    return engine.handle(call("Decrypt", decryptInput));
  }

  /**
   * DescribeKey as the engine handles a decoded call.
   *
   * @return the response body
   */
  @Benchmark
  public JsonNode engineDescribeKey() {
    iterationOps++;
    return engine.handle(call("DescribeKey", describeInput));
  }
}
