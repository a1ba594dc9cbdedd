package dev.kmsposture.testkit.generators;

import dev.kmsposture.policy.AccountId;
import java.util.Objects;

/**
 * What the configurable generators share: the key's account and Region, and which policy shapes
 * they may produce. Immutable: each configuration method of a generator copies it.
 */
record Settings(
    AccountId account,
    String partition,
    String region,
    boolean leastPrivilegeOnly,
    boolean wildcardPrincipals,
    boolean riskyShapes,
    int maxStatements) {

  static final Settings DEFAULT =
      new Settings(KmsGenerators.DEFAULT_ACCOUNT, "aws", "us-east-1", false, false, false, 6);

  Settings {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(partition, "partition");
    Objects.requireNonNull(region, "region");
  }

  Settings withAccount(AccountId a) {
    Objects.requireNonNull(a, "account");
    return new Settings(
        a, partition, region, leastPrivilegeOnly, wildcardPrincipals, riskyShapes, maxStatements);
  }

  Settings withLeastPrivilegeOnly() {
    return new Settings(account, partition, region, true, false, false, maxStatements);
  }

  Settings withWildcardPrincipals() {
    return new Settings(account, partition, region, false, true, riskyShapes, maxStatements);
  }

  Settings withRiskyShapes() {
    return new Settings(account, partition, region, false, wildcardPrincipals, true, maxStatements);
  }

  Settings withMaxStatements(int max) {
    if (max < 1) {
      throw new IllegalArgumentException(
          String.format("maximum statements [%d] is not positive; expected 1 or more", max));
    }
    return new Settings(
        account, partition, region, leastPrivilegeOnly, wildcardPrincipals, riskyShapes, max);
  }

  /** The ARN of the key the generated policies and requests are about. */
  String keyArn() {
    return "arn:"
        + partition
        + ":kms:"
        + region
        + ":"
        + account.value()
        + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
  }

  /** The ARN of another key in the same account. */
  String otherKeyArn() {
    return "arn:"
        + partition
        + ":kms:"
        + region
        + ":"
        + account.value()
        + ":key/0987dcba-09ba-87dc-65fe-0987654321ba";
  }

  String iam(String account, String resource) {
    return "arn:" + partition + ":iam::" + account + ":" + resource;
  }

  String sts(String account, String resource) {
    return "arn:" + partition + ":sts::" + account + ":" + resource;
  }
}
