/**
 * Secure-by-default key provisioning and the key life-cycle: {@link
 * dev.kmsposture.aws.provision.KeyProvisioner} (blueprint to plan to verified key, with clean-up
 * after failures), {@link dev.kmsposture.aws.provision.KeyRetirement} (disable, watch, then delete
 * safely) and {@link dev.kmsposture.aws.provision.Remediator} (plan and apply safe fixes for
 * findings). Every type takes clients the caller built.
 */
package dev.kmsposture.aws.provision;
