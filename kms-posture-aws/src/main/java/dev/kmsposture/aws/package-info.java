/**
 * The parts of kms-posture that talk to AWS KMS, always through clients the caller built: today
 * {@link dev.kmsposture.aws.KeyPolicyReader}; the scanner and provisioner follow.
 */
package dev.kmsposture.aws;
