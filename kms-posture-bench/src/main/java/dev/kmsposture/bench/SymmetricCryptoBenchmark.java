package dev.kmsposture.bench;

import dev.kmsposture.testkit.internal.kms.crypto.CiphertextBlob;
import dev.kmsposture.testkit.internal.kms.crypto.EncryptionContext;
import dev.kmsposture.testkit.internal.kms.crypto.KeyMaterial;
import dev.kmsposture.testkit.internal.kms.crypto.KeySpec;
import dev.kmsposture.testkit.internal.kms.crypto.SymmetricEnvelope;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedded KMS's symmetric cryptography on one thread: Encrypt and Decrypt of 1 KiB under a
 * {@code SYMMETRIC_DEFAULT} key with a two-pair encryption context, as the engine calls them
 * (Decrypt parses the blob, then decrypts with the material it names). The engine's target is at
 * least 50,000 Decrypt/s in-process on one thread; the cryptography must take a small share of that
 * budget (20 µs per call).
 *
 * <pre>
 * java -jar kms-posture-bench/target/benchmarks.jar SymmetricCryptoBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SymmetricCryptoBenchmark {
  private static final String KEY_ARN =
      "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  private KeyMaterial material = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);
  private EncryptionContext context = EncryptionContext.empty();
  private byte[] plaintext = new byte[0];
  private byte[] blob = new byte[0];

  /** Creates the benchmark state; JMH calls this. */
  public SymmetricCryptoBenchmark() {}

  /** Makes the key, a 1 KiB plaintext and its blob once per trial, and checks the round trip. */
  @Setup
  public void prepare() {
    material = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);
    context =
        EncryptionContext.of(Map.of("aws:s3:arn", "arn:aws:s3:::bucket/key", "purpose", "bench"));
    plaintext = new byte[1024];
    Arrays.fill(plaintext, (byte) 7);
    blob = SymmetricEnvelope.encrypt(material, KEY_ARN, plaintext, context);
    if (!Arrays.equals(plaintext, decrypt1k())) {
      throw new IllegalStateException("the benchmark blob does not decrypt to its plaintext");
    }
  }

  /**
   * Encrypt of 1 KiB.
   *
   * @return the blob, so that JMH keeps the work alive
   */
  @Benchmark
  public byte[] encrypt1k() {
    return SymmetricEnvelope.encrypt(material, KEY_ARN, plaintext, context);
  }

  /**
   * Decrypt of the 1 KiB blob: parse, then decrypt.
   *
   * @return the plaintext, so that JMH keeps the work alive
   */
  @Benchmark
  public byte[] decrypt1k() {
    CiphertextBlob parsed = CiphertextBlob.parse(blob);
    return SymmetricEnvelope.decrypt(parsed, material, context);
  }
}
