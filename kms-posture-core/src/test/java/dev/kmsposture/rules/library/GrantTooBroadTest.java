package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.awsManaged;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantTooBroadTest {
  private static final GrantTooBroad RULE = new GrantTooBroad();

  private static String grant(String id, String operations, String subset) {
    return """
        [{"grantId": "%s", "granteePrincipal": "arn:aws:iam::111122223333:role/App",
          "operations": %s, "encryptionContextSubset": %s}]"""
        .formatted(id, operations, subset);
  }

  @Test
  void check_grantWithCreateGrant_failsForReDelegation() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-orders")
                .grants(grant("g-1", "[\"Decrypt\", \"CreateGrant\"]", "{\"app\": \"orders\"}"))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "The grant g-1 to arn:aws:iam::111122223333:role/App on the CMK named prod-orders is"
                + " too broad: it allows CreateGrant, so its grantee can pass the key on to other"
                + " principals");
    assertThat(findings.get(0).item()).isEqualTo("g-1");
  }

  @Test
  void check_symmetricDecryptWithoutContext_fails() {
    List<Finding> findings =
        check(RULE, cmk("prod-orders").grants(grant("g-2", "[\"Decrypt\"]", "{}")).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message())
        .contains("it allows Decrypt without an encryption-context constraint");
  }

  @Test
  void check_decryptWithContextConstraint_passes() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-orders")
                .grants(grant("g-3", "[\"Decrypt\"]", "{\"app\": \"orders\"}"))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
  }

  @Test
  void check_grantForDescribeKeyAndRetireGrantOnly_isNotApplicable() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-orders")
                .grants(grant("g-4", "[\"DescribeKey\", \"RetireGrant\"]", "{}"))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_asymmetricKeyGrantWithoutCreateGrant_isNotApplicable() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-signing")
                .spec("RSA_2048", "SIGN_VERIFY")
                .grants(grant("g-5", "[\"Sign\"]", "{}"))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.NOT_APPLICABLE);
    assertThat(findings.get(0).message())
        .contains("encryption-context constraints exist only for symmetric encryption keys");
  }

  @Test
  void check_grantsNotCollected_isUnknown() {
    assertThat(check(RULE, cmk("prod-orders").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.UNKNOWN);
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("ebs").grants("[]").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }
}
