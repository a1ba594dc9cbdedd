/** JMH benchmarks for kms-posture. Not published; CI compiles them and never runs them. */
package dev.kmsposture.bench;
