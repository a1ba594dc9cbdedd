package dev.kmsposture.aws.provision;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by {@link KeyProvisioner#apply} when a plan could not be carried out or the result could
 * not be verified. The message says exactly what happened: which call failed and why, which calls
 * were made before it, and the state of every key the run left behind after the clean-up (tagged as
 * failed provisioning, disabled, scheduled for deletion with the minimum window — or kept, when
 * configured). {@link #leftovers()} lists those keys; {@link #completedCalls()} the calls that
 * succeeded.
 *
 * <p>A plan that converges an existing key never deletes it: its leftovers are only keys the run
 * created (replicas), and the existing key stays as the completed calls left it.
 */
public final class ProvisioningException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String failedStep;
  private final transient List<PlannedCall> completedCalls;
  private final transient List<LeftoverKey> leftovers;
  private final transient List<String> cleanupProblems;

  ProvisioningException(
      String message,
      String failedStep,
      List<PlannedCall> completedCalls,
      List<LeftoverKey> leftovers,
      List<String> cleanupProblems,
      @Nullable Throwable cause) {
    super(message, cause);
    this.failedStep = Objects.requireNonNull(failedStep, "failedStep");
    this.completedCalls = List.copyOf(completedCalls);
    this.leftovers = List.copyOf(leftovers);
    this.cleanupProblems = List.copyOf(cleanupProblems);
  }

  /** Returns what failed: the call (operation and Region), or {@code verification}. */
  public String failedStep() {
    return failedStep;
  }

  /** Returns the planned calls that succeeded before the failure, in order. */
  public List<PlannedCall> completedCalls() {
    return completedCalls == null ? List.of() : completedCalls;
  }

  /** Returns the keys the run left behind and what the clean-up did to each. */
  public List<LeftoverKey> leftovers() {
    return leftovers == null ? List.of() : leftovers;
  }

  /**
   * Returns what the clean-up could not do or could not tell (a sweep that could not list the
   * account's keys, a step refused), empty when it did everything.
   */
  public List<String> cleanupProblems() {
    return cleanupProblems == null ? List.of() : cleanupProblems;
  }
}
