package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.awsManaged;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class GrantToUntrustedPrincipalTest {
  private static final GrantToUntrustedPrincipal RULE = new GrantToUntrustedPrincipal();

  private static String grant(String id, String grantee, @Nullable String retiring) {
    return """
        {"grantId": "%s", "name": "app-grant", "granteePrincipal": "%s",%s
         "operations": ["Decrypt"], "encryptionContextEquals": {},
         "encryptionContextSubset": {"app": "orders"}}"""
        .formatted(
            id, grantee, retiring == null ? "" : " \"retiringPrincipal\": \"" + retiring + "\",");
  }

  @Test
  void check_grantToUntrustedAccount_failsAboutTheGrant() {
    // given
    var snapshot =
        cmk("prod-orders")
            .grants(
                "["
                    + grant("g-1", "arn:aws:iam::444455556666:role/Partner", null)
                    + ", "
                    + grant("g-2", "arn:aws:iam::111122223333:role/App", null)
                    + "]")
            .snapshot();

    // when
    List<Finding> findings = check(RULE, snapshot);

    // then
    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL, Status.PASS);
    assertThat(findings.get(0).item()).isEqualTo("g-1");
    assertThat(findings.get(0).message())
        .isEqualTo(
            "The grant g-1 (app-grant) on the CMK named prod-orders allows [Decrypt]: its grantee"
                + " arn:aws:iam::444455556666:role/Partner is in account 444455556666, which is"
                + " neither the key's account 111122223333 nor a trusted account");
    assertThat(findings.get(1).item()).isEqualTo("g-2");
  }

  @Test
  void check_untrustedRetiringPrincipal_fails() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-orders")
                .grants(
                    "["
                        + grant(
                            "g-1",
                            "arn:aws:iam::111122223333:role/App",
                            "arn:aws:iam::444455556666:role/Retirer")
                        + "]")
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("its retiring principal");
  }

  @Test
  void check_grantToDeletedPrincipal_fails() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-orders")
                .grants("[" + grant("g-9", "AROAEXAMPLEDELETED01", null) + "]")
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("is a deleted principal");
  }

  @Test
  void check_trustedAccountAndServicePrincipal_pass() {
    PostureConfig config = PostureConfig.parse("trustedAccounts: ['444455556666']");
    String grants =
        "["
            + grant("g-1", "arn:aws:iam::444455556666:role/Partner", null)
            + ", "
            + grant("g-2", "arn:aws:iam::111122223333:role/App", "rds.us-east-1.amazonaws.com")
            + "]";

    List<Finding> findings = check(RULE, cmk("prod-orders").grants(grants).snapshot(), config);

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS, Status.PASS);
  }

  @Test
  void check_noGrants_passes() {
    List<Finding> findings = check(RULE, cmk("prod-orders").grants("[]").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message()).isEqualTo("The CMK named prod-orders has no grants");
  }

  @Test
  void check_grantsNotReadable_isUnknown() {
    List<Finding> findings =
        check(RULE, cmk("prod-orders").unreadable("GRANTS", "ThrottlingException").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.UNKNOWN);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "Cannot judge the grants of the CMK named prod-orders: they could not be read:"
                + " ThrottlingException");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("ebs").grants("[]").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }
}
