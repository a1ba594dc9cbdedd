package dev.kmsposture.policy;

/**
 * The IAM access level of an action, as the Service Authorization Reference classifies KMS actions.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html">Actions
 *     defined by AWS Key Management Service</a>
 */
public enum AccessLevel {
  /** Reads a key's metadata or policy, or uses the key cryptographically without changing it. */
  READ,
  /** Lists resources. */
  LIST,
  /**
   * Creates, changes or deletes a resource (including cryptographic operations that produce
   * output).
   */
  WRITE,
  /** Changes who may do what: key policies and grants. */
  PERMISSIONS_MANAGEMENT,
  /** Adds or removes tags. */
  TAGGING
}
