package dev.kmsposture.access;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a question over every request ("is any principal of account X allowed anything?"):
 * {@link Answer#YES} with a request the evaluator allows, {@link Answer#NO} when no request is
 * allowed, or {@link Answer#POSSIBLY} when the analysis cannot tell (its representative requests do
 * not cover every request) and says why.
 *
 * @param answer the answer
 * @param witness a request that proves {@link Answer#YES}; null otherwise
 * @param why why the answer is {@link Answer#POSSIBLY}; null otherwise
 */
public record AccessAnswer(Answer answer, @Nullable Witness witness, @Nullable String why) {

  /** Yes, no, or cannot tell. */
  public enum Answer {
    /** Some request is allowed; the witness shows one. */
    YES,
    /** No request is allowed. */
    NO,
    /** The analysis cannot tell. */
    POSSIBLY
  }

  /** Checks that a witness comes with YES and a reason with POSSIBLY. */
  public AccessAnswer {
    Objects.requireNonNull(answer, "answer");
    if ((answer == Answer.YES) != (witness != null)) {
      throw new IllegalArgumentException(
          String.format("answer [%s] needs a witness exactly when it is YES", answer));
    }
    if ((answer == Answer.POSSIBLY) != (why != null)) {
      throw new IllegalArgumentException(
          String.format("answer [%s] needs a reason exactly when it is POSSIBLY", answer));
    }
  }

  static AccessAnswer of(AccessSearch.Result r) {
    if (r.found()) {
      return new AccessAnswer(Answer.YES, r.witness(), null);
    }
    return r.undecided()
        ? new AccessAnswer(Answer.POSSIBLY, null, r.whyUndecided())
        : new AccessAnswer(Answer.NO, null, null);
  }

  /** Returns the witness of a YES. */
  public Optional<Witness> witnessIfPresent() {
    return Optional.ofNullable(witness);
  }

  /** Returns whether the answer is YES. */
  public boolean isYes() {
    return answer == Answer.YES;
  }

  /** Returns whether the answer is NO. */
  public boolean isNo() {
    return answer == Answer.NO;
  }
}
