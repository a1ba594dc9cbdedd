package dev.kmsposture.testkit.kms;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs a JUnit 5 test class against its own embedded KMS ({@link LocalKmsExtension}): test methods,
 * constructors and {@link InjectLocalKms @InjectLocalKms} fields receive a {@code KmsClient}, a
 * {@code CloudTrailClient}, an {@code StsClient}, the {@link LocalKms} itself (for seeding, faults
 * and the journal) and, with {@link Transport#HTTP}, the {@link LocalKmsServer}.
 *
 * <pre>{@code
 * @WithLocalKms
 * @LocalKmsSeed("orders-keys.yaml")
 * class OrdersKeyTest {
 *   @Test
 *   void ordersKey_isRotated(KmsClient kms) {
 *     assertThat(kms.getKeyRotationStatus(r -> r.keyId("alias/orders")).keyRotationEnabled())
 *         .isTrue();
 *   }
 * }
 * }</pre>
 *
 * <p>Each test class gets a KMS of its own, built before the first test and closed (with its
 * clients and server) after the last. Before every test the KMS is {@linkplain LocalKms#reset()
 * reset} to the class's seed, its faults cleared and its quotas switched off, so tests do not see
 * each other's keys. Under JUnit's parallel execution, test classes run concurrently, each with its
 * own KMS; the tests of one class run one after another (a resource lock named after the class, see
 * {@link LocalKmsExtension.OneTestAtATimePerClass}), because they share that class's KMS. {@code
 * Nested} classes share the KMS of the class that encloses them.
 *
 * <p>Annotating a superclass applies to its subclasses.
 *
 * @since 0.1.0
 */
@Target({ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalKmsExtension.class)
@ResourceLock(providers = LocalKmsExtension.OneTestAtATimePerClass.class)
public @interface WithLocalKms {
  /**
   * How the injected clients reach the KMS: {@link Transport#IN_PROCESS} (the default) or {@link
   * Transport#HTTP} through a {@link LocalKmsServer} on 127.0.0.1.
   */
  Transport transport() default Transport.IN_PROCESS;

  /** The Region the injected clients are built for; {@code us-east-1} by default. */
  String region() default "us-east-1";

  /**
   * The IAM or STS principal ARN the injected clients act as, such as {@code
   * arn:aws:iam::123456789012:role/KeyAdmin}; empty (the default) for the root user of {@link
   * Caller#DEFAULT_ACCOUNT}. The KMS's account is the caller's: keys the clients create belong to
   * it, and the key-policy lockout check judges new policies for it.
   */
  String caller() default "";

  /**
   * Whether key policies, grants and IAM policies decide every request ({@link
   * LocalKms.Builder#enforcePolicies(boolean)}); off by default.
   */
  boolean enforcePolicies() default false;

  /** How the injected clients reach the embedded KMS. */
  enum Transport {
    /** SDK clients answered in the test's own thread, without a socket (fast; the default). */
    IN_PROCESS,
    /**
     * SDK clients with the SDK's default HTTP client, talking to a {@link LocalKmsServer} on a free
     * port of 127.0.0.1; the server is started before the first test and stopped after the last.
     */
    HTTP
  }
}
