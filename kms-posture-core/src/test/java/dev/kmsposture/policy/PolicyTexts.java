package dev.kmsposture.policy;

/** Small JSON fixtures shared by the policy tests. */
final class PolicyTexts {
  private PolicyTexts() {}

  /** A 2012-10-17 policy whose Statement array holds {@code statements} (JSON objects). */
  static String policy(String... statements) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(", ", statements) + "]}";
  }

  /** A complete Allow statement with the given extra members (JSON text, may be empty). */
  static String allow(String members) {
    return "{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\":"
        + " \"kms:Decrypt\", \"Resource\": \"*\""
        + (members.isEmpty() ? "" : ", " + members)
        + "}";
  }

  /**
   * A statement with Effect Allow, Action kms:Decrypt, Resource * and the given principal member.
   */
  static String withPrincipal(String principalMember) {
    return "{\"Effect\": \"Allow\", "
        + principalMember
        + ", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}";
  }

  /** The only statement of a one-statement policy built from {@code statement}. */
  static Statement parseOne(String statement) {
    return KeyPolicy.parse(policy(statement)).statements().get(0);
  }
}
