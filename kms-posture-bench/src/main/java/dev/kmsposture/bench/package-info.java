/** JMH benchmarks for kms-posture. Not published; CI compiles them and never runs them. */
@NullMarked
package dev.kmsposture.bench;

import org.jspecify.annotations.NullMarked;
