/**
 * Generators of KMS values for property tests: {@link
 * dev.kmsposture.testkit.generators.KmsGenerators} is the entry point, {@link
 * dev.kmsposture.testkit.generators.Generator} the small functional type they share, and {@link
 * dev.kmsposture.testkit.generators.KmsSource} feeds them to JUnit 5 parameterized tests.
 */
@CheckReturnValue
package dev.kmsposture.testkit.generators;

import com.google.errorprone.annotations.CheckReturnValue;
