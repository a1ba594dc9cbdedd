package dev.kmsposture.access;

/**
 * Where access to a key comes from: the key policy naming the principal itself, the key policy
 * naming an account and so letting that account's IAM policies decide, or a grant.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html">Determining
 *     access to AWS KMS keys</a>
 */
public enum AccessSource {
  /** A key-policy statement names the principal (its ARN, a pattern, everyone, a service). */
  KEY_POLICY,
  /**
   * A key-policy statement names an account (its root ARN or bare id), so that account's IAM
   * policies decide which of its principals get the access; an identity-policy statement that takes
   * part in a decision counts here too.
   */
  IAM_DELEGATION,
  /** A grant on the key. */
  GRANT
}
