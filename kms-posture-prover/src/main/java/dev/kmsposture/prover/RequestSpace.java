package dev.kmsposture.prover;

/**
 * The requests a question ranges over.
 *
 * @see PolicyProver.Builder#requestSpace(RequestSpace)
 */
public enum RequestSpace {
  /**
   * Requests AWS sends (the default): callers are the root user, IAM users, role sessions (with
   * their role's path), federated users, AWS service principals and anonymous callers; the keys
   * that follow from the principal ({@code aws:PrincipalArn}, {@code aws:PrincipalAccount}, {@code
   * kms:CallerAccount}, {@code aws:PrincipalType}, {@code aws:username}) are derived, never chosen;
   * a user or role whose name the policy names by ARN is that one, path included (KMS accepts a
   * policy only when its principals exist, and IAM user and role names are unique in an account,
   * letter case ignored); {@code aws:SourceAccount}, {@code aws:SourceArn}, {@code aws:SourceOrgID}
   * and {@code aws:SourceOrgPaths} are present only when an AWS service principal calls (IAM "AWS
   * global condition context keys": "the aws:SourceAccount condition key is only available when the
   * call to your resource is made directly by an AWS service principal"); {@code
   * aws:SecureTransport} is always true (AWS KMS accepts only TLS connections).
   */
  AWS,
  /**
   * Every request core's evaluator accepts (short of overriding the derived keys, and with the
   * named users and roles unique as in {@link #AWS}): in addition, a role ARN as the caller, a role
   * session whose role path is not given (its {@code aws:PrincipalArn} is unknown), and {@code
   * aws:Source…} keys for any caller. This is the space {@link dev.kmsposture.access.AccessDiff}'s
   * representative requests come from.
   */
  EVALUATOR
}
