package dev.kmsposture.prover;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one question: proved no, yes with a witness request, or unknown with the reason. A
 * time-out or a construct the prover does not encode is never reported as "no".
 *
 * <pre>{@code
 * ProofResult r = prover.externalAccess(policy, keyArn);
 * if (r instanceof ProofResult.Found found) {
 *   System.out.println("outside access: " + found.witness());
 * } else if (r instanceof ProofResult.Unknown unknown) {
 *   System.out.println("cannot tell: " + unknown.reason() + " " + unknown.detail());
 * }
 * }</pre>
 */
public sealed interface ProofResult
    permits ProofResult.ProvedNo, ProofResult.Found, ProofResult.Unknown {

  /** The three kinds of answer. */
  enum Kind {
    /** No request in the question's request space does it. */
    PROVED_NO,
    /** A request does it: see the witness. */
    FOUND_WITNESS,
    /** The prover cannot tell (time-out, unsupported construct, bounds, solver). */
    UNKNOWN
  }

  /** Returns the question in words. */
  String question();

  /** Returns which kind of answer this is. */
  Kind kind();

  /** Returns the witness when one was found, else empty. */
  default Optional<Witness> witnessIfFound() {
    return this instanceof Found f ? Optional.of(f.witness()) : Optional.empty();
  }

  /** Returns whether the answer is a proof that no request does it. */
  default boolean isProvedNo() {
    return kind() == Kind.PROVED_NO;
  }

  /** Returns whether a witness request was found. */
  default boolean isFound() {
    return kind() == Kind.FOUND_WITNESS;
  }

  /** Returns whether the prover could not tell. */
  default boolean isUnknown() {
    return kind() == Kind.UNKNOWN;
  }

  /**
   * No request does it.
   *
   * @param question the question in words
   */
  record ProvedNo(String question) implements ProofResult {
    /** Checks the parts. */
    public ProvedNo {
      Objects.requireNonNull(question, "question");
    }

    @Override
    public Kind kind() {
      return Kind.PROVED_NO;
    }

    @Override
    public String toString() {
      return "PROVED_NO: " + question;
    }
  }

  /**
   * A request does it.
   *
   * @param question the question in words
   * @param witness the request, replayed through the evaluator
   */
  record Found(String question, Witness witness) implements ProofResult {
    /** Checks the parts. */
    public Found {
      Objects.requireNonNull(question, "question");
      Objects.requireNonNull(witness, "witness");
    }

    @Override
    public Kind kind() {
      return Kind.FOUND_WITNESS;
    }

    @Override
    public String toString() {
      return "FOUND_WITNESS: " + question + " " + witness;
    }
  }

  /**
   * The prover cannot tell.
   *
   * @param question the question in words
   * @param reason why
   * @param detail the details: the construct, the bounds, or the solver's reason
   */
  record Unknown(String question, UnknownReason reason, String detail) implements ProofResult {
    /** Checks the parts. */
    public Unknown {
      Objects.requireNonNull(question, "question");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public Kind kind() {
      return Kind.UNKNOWN;
    }

    @Override
    public String toString() {
      return "UNKNOWN (" + reason + "): " + question + (detail.isEmpty() ? "" : " - " + detail);
    }
  }
}
