package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static dev.kmsposture.testing.Gens.booleans;
import static dev.kmsposture.testing.Gens.distinctLists;
import static dev.kmsposture.testing.Gens.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

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
import dev.kmsposture.testing.Coverage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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

  // Disjoint by construction, each group drawn from the roles the earlier groups left, so a
  // failing case shrinks group by group (a filter on independent draws would reject most of them).
  static Gen<Roles> roles() {
    return someOf(ROLES, 1, 3)
        .flatMap(
            admins ->
                someOf(rest(ROLES, admins), 0, 3)
                    .flatMap(
                        users ->
                            someOf(rest(ROLES, admins, users), 0, 3)
                                .flatMap(
                                    serviceUsers ->
                                        someOf(rest(ROLES, admins, users, serviceUsers), 0, 3)
                                            .zip(
                                                pick(
                                                    AwsService.S3,
                                                    AwsService.RDS,
                                                    AwsService.SECRETS_MANAGER),
                                                someOf(PARTNERS, 0, 2),
                                                booleans(),
                                                (auditors, service, partners, root) ->
                                                    new Roles(
                                                        admins,
                                                        users,
                                                        serviceUsers,
                                                        service,
                                                        auditors,
                                                        partners,
                                                        root)))));
  }

  /**
   * Distinct elements of {@code pool}, {@code min} to {@code max} of them (none if it is empty).
   */
  private static Gen<List<String>> someOf(List<String> pool, int min, int max) {
    return pool.isEmpty() ? Generate.constant(List.of()) : distinctLists(pick(pool), min, max);
  }

  @SafeVarargs
  private static List<String> rest(List<String> all, List<String>... taken) {
    List<String> rest = new ArrayList<>(all);
    for (List<String> t : taken) {
      rest.removeAll(t);
    }
    return rest;
  }

  private static String arn(String role) {
    return "arn:aws:iam::111122223333:role/" + role;
  }

  @Test
  void build_randomRoles_noBlockingFindingFromThePolicyRules() {
    Coverage coverage = new Coverage();
    qt().withExamples(165)
        .forAll(roles())
        .checkAssert(
            r -> {
              // given
              KeyPolicyBuilder b =
                  KeyPolicyBuilder.forAccount(ACCOUNT)
                      .administrators(
                          r.admins().stream().map(BuiltKeyPolicyRulesProperties::arn).toList())
                      .auditors(
                          r.auditors().stream().map(BuiltKeyPolicyRulesProperties::arn).toList())
                      .crossAccountUsers(r.partners())
                      .breakGlass(
                          r.rootBreakGlass()
                              ? BreakGlass.rootRestrictedTo(arn(r.admins().get(0)))
                              : BreakGlass.none());
              if (r.serviceUsers().isEmpty()) {
                b.users(r.users().stream().map(BuiltKeyPolicyRulesProperties::arn).toList());
              } else {
                // When some users go through a service, every user does (the CLI's --via-service
                // semantics).
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
                          + String.join(
                              ", ", r.partners().stream().map(p -> "\"" + p + "\"").toList())
                          + "]\nauditRoleArns: ["
                          + String.join(
                              ", ", r.auditors().stream().map(a -> "\"" + arn(a) + "\"").toList())
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
              for (Finding f :
                  check(KmsPostureRules.AUDIT_ROLE_CANNOT_READ_KEY, snapshot, config)) {
                if (f.status() == Status.FAIL) {
                  failures.add(f);
                }
              }
              coverage.collect(
                  "accounts", r.partners().isEmpty() ? "single-account" : "cross-account");
              coverage.collect(
                  "users", r.serviceUsers().isEmpty() ? "direct users" : "service users");
              coverage.collect(
                  "break-glass", r.rootBreakGlass() ? "root break-glass" : "no break-glass");

              // then
              assertThat(failures).as(json).isEmpty();
            });
    coverage.requireAtLeast("accounts", "cross-account", 20);
    coverage.requireAtLeast("users", "service users", 20);
    coverage.requireAtLeast("break-glass", "root break-glass", 20);
  }
}
