/**
 * An adapter from kms-posture's {@link dev.kmsposture.testkit.generators.Generator} to
 * QuickTheories, for property tests that want shrinking. QuickTheories is an optional dependency:
 * this package works only when it is on the test class path.
 */
package dev.kmsposture.testkit.quicktheories;
