package dev.kmsposture.aws.provision;

import java.util.Objects;

/** Thrown when {@link KeyRetirement} refuses to schedule a key's deletion; says every reason. */
public final class RetirementRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient RetirementStatus status;

  RetirementRefusedException(RetirementStatus status) {
    super(
        String.format(
            "refusing to schedule the deletion of %s: %s",
            status.arn(), String.join("; ", status.refusals())));
    this.status = Objects.requireNonNull(status, "status");
  }

  /** Returns the key's status, with the refusals. */
  public RetirementStatus status() {
    return status;
  }
}
