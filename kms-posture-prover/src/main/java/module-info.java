/**
 * kms-posture prover: answers quantified questions about a key policy exactly, with a witness
 * request when the answer is yes, by encoding the policy as an SMT formula and asking Z3. Optional:
 * core does not depend on it, and it brings Z3's native libraries.
 */
@org.jspecify.annotations.NullMarked
module dev.kmsposture.prover {
  requires static transitive org.jspecify;
  requires transitive dev.kmsposture.core;
  requires tools.aqua.turnkey.z3;

  exports dev.kmsposture.prover;
}
