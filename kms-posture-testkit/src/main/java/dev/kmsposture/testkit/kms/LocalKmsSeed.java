package dev.kmsposture.testkit.kms;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Seeds the KMS of a {@link WithLocalKms @WithLocalKms} test from YAML or JSON seed files on the
 * class path (the format of {@link KmsSeedFile}).
 *
 * <p>On the class, the seed is where every test starts: it is applied when the KMS is built and
 * again at every reset. On a test method, it is added for that test only, after the reset and on
 * top of the class's seed.
 *
 * <pre>{@code
 * @WithLocalKms
 * @LocalKmsSeed("seeds/orders.yaml")        // src/test/resources/seeds/orders.yaml
 * class OrdersKeyTest {
 *   @Test
 *   @LocalKmsSeed("seeds/legacy-keys.yaml") // this test only
 *   void legacyKeys_areFlagged(KmsClient kms) { ... }
 * }
 * }</pre>
 *
 * <p>Names are resolved from the class-path root (a leading {@code /} is allowed) with the test
 * class's class loader. A file that is not there, or a seed that cannot be read or applied, fails
 * the class (or the test) with a {@link KmsSeedException} whose message names the file, and the
 * field at fault.
 *
 * @since 0.1.0
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface LocalKmsSeed {
  /** The seed files, applied in order; class-path names such as {@code "seeds/orders.yaml"}. */
  String[] value();
}
