/**
 * AssertJ-style assertions on key policies, statements, decisions, findings and posture reports;
 * {@link dev.kmsposture.testkit.assertj.KmsPostureAssertions} is the entry point.
 */
package dev.kmsposture.testkit.assertj;
