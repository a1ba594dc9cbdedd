package dev.kmsposture.cli;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.prover.PolicyProver;
import dev.kmsposture.prover.ProofResult;
import dev.kmsposture.prover.Witness;
import org.jspecify.annotations.Nullable;

/**
 * Runs the prover for {@code analyze --prove}. The prover ({@code kms-posture-prover}, with Z3's
 * native libraries) is an optional dependency: it is not in {@code kms-posture.jar}, but next to it
 * in {@code prover-lib/}, which the jar's manifest puts on the class path when present. {@link
 * ProofReport#proverAvailable()} says whether it is; only then may this class be loaded.
 */
final class ProveSection {
  private ProveSection() {}

  /** Asks the prover every question {@code analyze} answers. */
  static ProofReport prove(
      KeyPolicy policy, @Nullable KeyPolicy oldPolicy, String keyArn, @Nullable String caller) {
    PolicyProver prover = PolicyProver.create();
    return new ProofReport(
        PolicyProver.solverVersion(),
        keyArn,
        answer(prover.publicAccess(policy, keyArn)),
        answer(prover.externalAccess(policy, keyArn)),
        answer(prover.accountCanPutKeyPolicy(policy, keyArn)),
        caller == null ? null : answer(prover.callerCanPutKeyPolicy(policy, keyArn, caller)),
        oldPolicy == null ? null : answer(prover.newAccess(oldPolicy, policy, keyArn)));
  }

  private static ProofReport.Answer answer(ProofResult r) {
    if (r instanceof ProofResult.Found f) {
      Witness w = f.witness();
      return new ProofReport.Answer(ProofReport.Answer.Kind.YES, "witness: " + w);
    }
    if (r instanceof ProofResult.Unknown u) {
      return new ProofReport.Answer(
          ProofReport.Answer.Kind.UNKNOWN,
          u.reason() + (u.detail().isEmpty() ? "" : ": " + u.detail()));
    }
    return new ProofReport.Answer(ProofReport.Answer.Kind.NO, "");
  }
}
