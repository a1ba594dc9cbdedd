/** AssertJ-style assertions. */
package dev.kmsposture.testkit.assertj;
