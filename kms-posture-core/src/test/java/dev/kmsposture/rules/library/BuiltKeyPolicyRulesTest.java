package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.leastprivilege.AwsService;
import dev.kmsposture.leastprivilege.KeyPolicyPresets;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The policy rules judge the least-privilege presets: the production preset passes every policy
 * rule, and the AWS default carries only the root-delegation finding.
 */
class BuiltKeyPolicyRulesTest {
  static final AccountId ACCOUNT = AccountId.of("111122223333");
  static final List<KeyRule> POLICY_RULES =
      List.of(
          KmsPostureRules.KEY_POLICY_PUBLIC,
          KmsPostureRules.CROSS_ACCOUNT_ACCESS_UNTRUSTED,
          KmsPostureRules.ROOT_DELEGATION_ON_PRODUCTION_KEY,
          KmsPostureRules.KEY_ADMINISTRATORS_CAN_USE_KEY,
          KmsPostureRules.CREATE_GRANT_WITHOUT_AWS_RESOURCE_CONDITION,
          KmsPostureRules.USAGE_WITHOUT_VIA_SERVICE,
          KmsPostureRules.KEY_POLICY_LOCKOUT_RISK,
          KmsPostureRules.KEY_POLICY_INVALID);

  static List<Finding> failures(String policyJson) {
    AccountSnapshot snapshot =
        cmk("prod-customer-pii")
            .tags("{\"Environment\": \"prod\", \"Purpose\": \"S3 bucket encryption\"}")
            .policy(policyJson)
            .snapshot();
    List<Finding> out = new ArrayList<>();
    for (KeyRule rule : POLICY_RULES) {
      out.addAll(check(rule, snapshot));
    }
    return out.stream()
        .filter(f -> f.status() == Status.FAIL)
        .filter(f -> f.severity().isAtLeast(Severity.RECOMMENDED))
        .collect(Collectors.toList());
  }

  @Test
  void productionData_passesEveryPolicyRule() {
    String json =
        KeyPolicyPresets.productionData(
                ACCOUNT,
                "arn:aws:iam::111122223333:role/App",
                List.of(AwsService.S3),
                List.of("us-east-1"),
                "arn:aws:iam::111122223333:role/Backup",
                "arn:aws:iam::111122223333:role/Audit",
                "arn:aws:iam::111122223333:role/SecurityAdmin")
            .toJson();
    assertThat(failures(json)).extracting(Finding::message).isEmpty();
  }

  @Test
  void awsDefault_failsOnlyTheRootDelegationRule() {
    String json = KeyPolicyPresets.awsDefault(ACCOUNT).toJson();
    assertThat(failures(json))
        .extracting(f -> f.ruleId().toString())
        .containsExactly(KmsPostureRules.ROOT_DELEGATION_ON_PRODUCTION_KEY.info().id().toString());
  }
}
