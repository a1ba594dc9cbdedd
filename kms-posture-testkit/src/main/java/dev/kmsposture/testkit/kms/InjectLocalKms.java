package dev.kmsposture.testkit.kms;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance field of a {@link WithLocalKms @WithLocalKms} test class that the extension
 * fills when it creates the test instance: a non-final, non-static field of type {@code KmsClient},
 * {@code CloudTrailClient}, {@code StsClient}, {@link LocalKms} or (with {@link
 * WithLocalKms.Transport#HTTP}) {@link LocalKmsServer}.
 *
 * <pre>{@code
 * @WithLocalKms
 * class OrdersKeyTest {
 *   @InjectLocalKms KmsClient kms;
 *   @InjectLocalKms LocalKms localKms;
 * }
 * }</pre>
 *
 * <p>A marked field of another type, or a static or final one, fails the class with a message that
 * names the field.
 *
 * @since 0.1.0
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InjectLocalKms {}
