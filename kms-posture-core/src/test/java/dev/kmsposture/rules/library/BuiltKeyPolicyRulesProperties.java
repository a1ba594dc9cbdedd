package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.leastprivilege.AwsService;
import dev.kmsposture.leastprivilege.BreakGlass;
import dev.kmsposture.leastprivilege.KeyPolicyBuilder;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The law that ties the builders to the rule engine: every policy the least-privilege builder
 * returns has no CRITICAL or RECOMMENDED failure from the policy rules, on a production key, over
 * random role assignments. The accounts the builder was told to share the key with are the trusted
 * accounts.
 */
class BuiltKeyPolicyRulesProperties {
  static final AccountId ACCOUNT = AccountId.of("111122223333");
  static final List<String> ROLES =
      List.of("Admin", "SecurityAdmin", "App", "Batch", "Backup", "Audit", "Reporting", "Ops");
  static final List<String> PARTNERS = List.of("444455556666", "777788889999");

  record Roles(
      List<String> admins,
      List<String> users,
      List<String> serviceUsers,
      AwsService service,
      List<String> auditors,
      List<String> partners,
      boolean rootBreakGlass) {}

  @Provide
  Arbitrary<Roles> roles() {
    Arbitrary<List<String>> names = Arbitraries.of(ROLES).list().uniqueElements().ofMaxSize(3);
    return Combinators.combine(
            names.filter(l -> !l.isEmpty()),
            names,
            names,
            Arbitraries.of(AwsService.S3, AwsService.RDS, AwsService.SECRETS_MANAGER),
            names,
            Arbitraries.of(PARTNERS).list().uniqueElements().ofMaxSize(2),
            Arbitraries.of(true, false))
        .as(Roles::new)
        .filter(r -> disjoint(r));
  }

  private static boolean disjoint(Roles r) {
    List<String> all = new ArrayList<>();
    all.addAll(r.admins());
    all.addAll(r.users());
    all.addAll(r.serviceUsers());
    all.addAll(r.auditors());
    return all.stream().distinct().count() == all.size();
  }

  private static String arn(String role) {
    return "arn:aws:iam::111122223333:role/" + role;
  }

  @Property(tries = 150)
  void build_randomRoles_noBlockingFindingFromThePolicyRules(@ForAll("roles") Roles r) {
    // given
    KeyPolicyBuilder b =
        KeyPolicyBuilder.forAccount(ACCOUNT)
            .administrators(r.admins().stream().map(BuiltKeyPolicyRulesProperties::arn).toList())
            .auditors(r.auditors().stream().map(BuiltKeyPolicyRulesProperties::arn).toList())
            .crossAccountUsers(r.partners())
            .breakGlass(
                r.rootBreakGlass()
                    ? BreakGlass.rootRestrictedTo(arn(r.admins().get(0)))
                    : BreakGlass.none());
    if (r.serviceUsers().isEmpty()) {
      b.users(r.users().stream().map(BuiltKeyPolicyRulesProperties::arn).toList());
    } else {
      // When some users go through a service, every user does (the CLI's --via-service semantics).
      List<String> all = new ArrayList<>(r.users());
      all.addAll(r.serviceUsers());
      b.addServiceUsers(
          all.stream().map(BuiltKeyPolicyRulesProperties::arn).toList(),
          List.of(r.service()),
          List.of("us-east-1"));
    }
    String json = b.buildPolicy().toJson();
    AccountSnapshot snapshot =
        cmk("prod-customer-pii")
            .tags("{\"Environment\": \"prod\", \"Purpose\": \"customer data\"}")
            .policy(json)
            .snapshot();
    PostureConfig config =
        PostureConfig.parse(
            "trustedAccounts: ["
                + String.join(", ", r.partners().stream().map(p -> "\"" + p + "\"").toList())
                + "]\nauditRoleArns: ["
                + String.join(", ", r.auditors().stream().map(a -> "\"" + arn(a) + "\"").toList())
                + "]\n");

    // when
    List<Finding> failures = new ArrayList<>();
    for (KeyRule rule : BuiltKeyPolicyRulesTest.POLICY_RULES) {
      for (Finding f : check(rule, snapshot, config)) {
        if (f.status() == Status.FAIL && f.severity().isAtLeast(Severity.RECOMMENDED)) {
          failures.add(f);
        }
      }
    }
    for (Finding f : check(KmsPostureRules.AUDIT_ROLE_CANNOT_READ_KEY, snapshot, config)) {
      if (f.status() == Status.FAIL) {
        failures.add(f);
      }
    }
    Statistics.label("shape")
        .collect(
            r.partners().isEmpty() ? "single-account" : "cross-account",
            r.serviceUsers().isEmpty() ? "direct users" : "service users",
            r.rootBreakGlass() ? "root break-glass" : "no break-glass");

    // then
    assertThat(failures).as(json).isEmpty();
  }
}
