package dev.kmsposture.aws.provision;

import java.util.List;
import java.util.Objects;

/**
 * What one look at a retiring key found, and what {@link KeyRetirement#watch(String)} did about it.
 *
 * @param status where the key stands after the look (and after a cancellation, if one was made)
 * @param outcome what the look found and did
 * @param evidence each use or use attempt seen, with its source (CloudTrail event or {@code
 *     GetKeyLastUsage}) and time; empty when the key is quiet
 */
public record RetirementWatch(RetirementStatus status, Outcome outcome, List<String> evidence) {

  /** What a look found and did. */
  public enum Outcome {
    /** Nothing used or tried to use the key since it was disabled (or since it was scheduled). */
    QUIET,
    /**
     * The key waits disabled and was used or tried after the disable time: its deletion is blocked
     * (the guard refuses it) until the caller is found and the cycle starts again.
     */
    BLOCKED,
    /**
     * The key was pending deletion and something tried to use it after the deletion was scheduled:
     * the deletion was cancelled (every member is {@code Disabled} again), since a key something
     * still needs must not be deleted.
     */
    DELETION_CANCELLED,
    /** The key (every member) no longer exists: nothing left to watch. */
    DELETED
  }

  /** Copies the evidence. */
  public RetirementWatch {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(outcome, "outcome");
    evidence = List.copyOf(evidence);
  }

  @Override
  public String toString() {
    return outcome
        + (evidence.isEmpty() ? "" : " (" + String.join("; ", evidence) + ")")
        + ": "
        + status;
  }
}
