package dev.kmsposture.policy;

/**
 * The IAM access level of an action, as the Service Authorization Reference classifies KMS actions.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html">Actions
 *     defined by AWS Key Management Service</a>
 */
public enum AccessLevel {
  /**
   * Reads a key's metadata, policy, rotation status or public key. The Service Authorization
   * Reference does not count cryptographic operations as Read: they are {@link #WRITE}.
   */
  READ,
  /** Lists resources. */
  LIST,
  /**
   * Creates, changes or deletes a resource. The Service Authorization Reference also puts every
   * cryptographic operation (Encrypt, Decrypt, Sign, Verify and the rest) and GenerateRandom here.
   */
  WRITE,
  /** Changes who may do what: key policies and grants. */
  PERMISSIONS_MANAGEMENT,
  /** Adds or removes tags. */
  TAGGING
}
