/**
 * Exact answers to the quantified questions about a key policy — can anyone outside the key's
 * account use it, can any principal of the account still change its policy, does a new policy allow
 * a request the old one did not — with a witness request for every yes: {@link
 * dev.kmsposture.prover.PolicyProver}, {@link dev.kmsposture.prover.ProofResult}, {@link
 * dev.kmsposture.prover.Witness}.
 *
 * <p>The policy's semantics are core's {@link dev.kmsposture.access.KeyAccessEvaluator}'s, encoded
 * as an SMT formula in the manner of Zelkova (Backes et al., "Semantic-based Automated Reasoning
 * for AWS Access Policies using SMT", FMCAD 2018), and solved by Z3. Every witness is replayed
 * through the evaluator before it is returned.
 */
package dev.kmsposture.prover;
