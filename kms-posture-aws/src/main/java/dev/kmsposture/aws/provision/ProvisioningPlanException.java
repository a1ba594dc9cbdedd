package dev.kmsposture.aws.provision;

/**
 * Thrown by {@link KeyProvisioner#plan} when no plan can be made, before any call that changes
 * anything: the caller could not make every call of the plan (the message names the missing
 * actions), the alias points at a key of another spec or usage, the key behind the alias is not
 * enabled, the blueprint's account is not the caller's, or a read the plan needs failed. The
 * message names the key (alias first, then ARN) and what to do.
 */
public final class ProvisioningPlanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ProvisioningPlanException(String message) {
    super(message);
  }

  ProvisioningPlanException(String message, Throwable cause) {
    super(message, cause);
  }
}
