package dev.kmsposture.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsposture.testkit.internal.kms.KmsEngine;
import dev.kmsposture.testkit.internal.wire.AwsCall;
import dev.kmsposture.testkit.kms.Caller;
import dev.kmsposture.testkit.kms.LocalKms;
import dev.kmsposture.testkit.kms.RequestJournal;
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
import software.amazon.awssdk.core.SdkBytes;
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
 *   <li>{@code engine*}: the engine's own work for a decoded call ({@code KmsEngine.handle}) — key
 *       resolution, the key-state check, the cryptography, last usage, the response body and the
 *       journal entry.
 * </ul>
 *
 * <p>The journal is cleared between iterations so that memory stays flat. Target: at least 50,000
 * Decrypt/s on one thread in-process.
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar LocalKmsBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
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

  /** Creates the benchmark state; JMH calls this. */
  public LocalKmsBenchmark() {}

  /** Makes a key and a data key under it, in the KMS behind the SDK client and in the engine. */
  @Setup(Level.Trial)
  public void prepare() {
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
    if (sdkDecrypt().asByteArray().length != 32
        || Base64.getDecoder().decode(engineDecrypt().get("Plaintext").asText()).length != 32) {
      throw new IllegalStateException("the benchmark data keys do not decrypt");
    }
  }

  /** Empties the journals, so that a long run keeps its memory flat. */
  @Setup(Level.Iteration)
  public void clearJournals() {
    kms.journal().clear();
    engineJournal.clear();
  }

  /** Closes the SDK client. */
  @TearDown(Level.Trial)
  public void close() {
    client.close();
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
    return client.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(CONTEXT)).plaintext();
  }

  /**
   * DescribeKey through the SDK client.
   *
   * @return the key's ARN
   */
  @Benchmark
  public String sdkDescribeKey() {
    return client.describeKey(b -> b.keyId(keyId)).keyMetadata().arn();
  }

  /**
   * Decrypt as the engine handles a decoded call.
   *
   * @return the response body
   */
  @Benchmark
  public JsonNode engineDecrypt() {
    return engine.handle(call("Decrypt", decryptInput));
  }

  /**
   * DescribeKey as the engine handles a decoded call.
   *
   * @return the response body
   */
  @Benchmark
  public JsonNode engineDescribeKey() {
    return engine.handle(call("DescribeKey", describeInput));
  }
}
