/**
 * The KMS security checklist's vocabulary, shared by the rule engine and the least-privilege
 * builders: {@link dev.kmsposture.checklist.Severity} (how much a finding matters, in the
 * checklist's own words) and {@link dev.kmsposture.checklist.RuleId} (which posture rule). It sits
 * below both, so that a builder's refusal and the rule that would flag the key agree on both
 * without the builders depending on the engine.
 */
package dev.kmsposture.checklist;
