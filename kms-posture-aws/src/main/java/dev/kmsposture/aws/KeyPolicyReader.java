package dev.kmsposture.aws;

import java.util.Objects;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyRequest;
import software.amazon.awssdk.services.kms.model.GetKeyPolicyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * Reads the key policy of one KMS key as JSON text, through a {@link KmsClient} the caller built.
 *
 * <p>The reader does not own the client: it never closes it, and it never picks a region or reads
 * credentials.
 *
 * <pre>{@code
 * try (KmsClient kms = KmsClient.create()) {
 *   String json = KeyPolicyReader.of(kms).read("arn:aws:kms:eu-west-1:111122223333:key/1234abcd");
 * }
 * }</pre>
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyPolicy.html">KMS API:
 *     GetKeyPolicy</a>
 */
public final class KeyPolicyReader {
  /** KMS keys have exactly one key policy, and its name is always {@code default}. */
  private static final String POLICY_NAME = "default";

  private final KmsClient kms;

  private KeyPolicyReader(KmsClient kms) {
    this.kms = kms;
  }

  /**
   * Returns a reader that calls {@code GetKeyPolicy} on {@code kms}.
   *
   * @param kms the client to use; the caller keeps ownership and closes it
   * @throws NullPointerException if {@code kms} is null
   */
  public static KeyPolicyReader of(KmsClient kms) {
    return new KeyPolicyReader(Objects.requireNonNull(kms, "kms"));
  }

  /**
   * Returns the text of the {@code default} key policy of the key {@code keyId}.
   *
   * @param keyId the key id or key ARN (GetKeyPolicy does not accept aliases)
   * @return the policy document exactly as KMS returned it
   * @throws NullPointerException if {@code keyId} is null
   * @throws IllegalArgumentException if {@code keyId} is blank, or KMS has no key with that id in
   *     the client's account and region ({@link NotFoundException})
   * @throws IllegalStateException if KMS answered without a policy document
   * @throws KmsException for every other KMS failure, such as access denied or a disabled key
   */
  public String read(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (keyId.isBlank()) {
      throw new IllegalArgumentException(
          "key id [] is blank; pass a key id or key ARN, such as"
              + " arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    }
    GetKeyPolicyRequest request =
        GetKeyPolicyRequest.builder().keyId(keyId).policyName(POLICY_NAME).build();
    GetKeyPolicyResponse response;
    try {
      response = kms.getKeyPolicy(request);
    } catch (NotFoundException e) {
      throw new IllegalArgumentException(
          String.format(
              "key [%s] was not found; check the key id or ARN and the client's account and region",
              keyId),
          e);
    }
    String policy = response.policy();
    if (policy == null) {
      throw new IllegalStateException(
          String.format("KMS returned no key policy for key [%s]", keyId));
    }
    return policy;
  }
}
