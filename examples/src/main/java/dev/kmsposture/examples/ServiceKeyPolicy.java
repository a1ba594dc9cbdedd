package dev.kmsposture.examples;

import dev.kmsposture.leastprivilege.AwsService;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import java.util.List;

/**
 * Example: the key policy a service creates for its data key. One role administers the key; the
 * service's role uses it only through S3 in the key's Region; nobody else, in the account or
 * outside it, is named.
 *
 * <p>{@code ServiceKeyPolicyTest} shows how a test suite asserts on such a policy with the testkit:
 * the assertions of {@code KmsPostureAssertions} and the generators of {@code KmsGenerators}.
 */
public final class ServiceKeyPolicy {
  private ServiceKeyPolicy() {}

  /**
   * Returns the policy of the data key of the service running as role {@code app} in {@code
   * account}, administered by role {@code admin}.
   *
   * @param account the account that owns the key
   * @param region the key's Region, where the service reaches S3
   * @param admin the ARN of the administrator role
   * @param app the ARN of the service's role
   * @return the key policy
   */
  public static KeyPolicy forService(AccountId account, String region, String admin, String app) {
    return KeyPolicyBuilder.forAccount(account)
        .administrators(admin)
        .addServiceUsers(List.of(app), List.of(AwsService.S3), List.of(region))
        .buildPolicy();
  }
}
