package dev.kmsposture.leastprivilege;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A role file read as a library user reads it: its name in messages, and the policy it builds. */
class RoleFileTest {
  private static final String ROLES =
      """
      account: "123456789012"
      administrators: ["arn:aws:iam::123456789012:role/SecurityAdmin"]
      serviceUsers:
        - {principals: ["arn:aws:iam::123456789012:role/PaymentsApp"], services: [rds], regions: [us-east-1]}
      auditors: ["arn:aws:iam::123456789012:role/Audit"]
      breakGlass: none
      """;

  @Test
  void document_namesTheFile() {
    assertThat(RoleFile.parse(ROLES, "roles.yaml").document()).isEqualTo("role file [roles.yaml]");
  }

  @Test
  void build_isThePolicyOfItsBuilder() {
    RoleFile roles = RoleFile.parse(ROLES, "roles.yaml");

    BuiltKeyPolicy built = roles.build();

    assertThat(built.policy().toJson()).isEqualTo(roles.toBuilder().build().policy().toJson());
    assertThat(built.policy().toJson())
        .contains("arn:aws:iam::123456789012:role/SecurityAdmin")
        .contains("arn:aws:iam::123456789012:role/PaymentsApp")
        .contains("rds.us-east-1.amazonaws.com");
  }
}
