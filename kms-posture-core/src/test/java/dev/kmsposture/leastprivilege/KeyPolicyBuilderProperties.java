package dev.kmsposture.leastprivilege;

import static dev.kmsposture.testing.Gens.randoms;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.access.PrincipalActions;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.testing.Coverage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of the builder over random role assignments. */
class KeyPolicyBuilderProperties {

  static final AccountId ACCOUNT = AccountId.of("111122223333");
  static final List<KeyKind> KINDS =
      List.of(
          KeyKind.SYMMETRIC_DEFAULT,
          KeyKind.of("RSA_3072", "ENCRYPT_DECRYPT"),
          KeyKind.of("ECC_NIST_P256", "SIGN_VERIFY"),
          KeyKind.of("HMAC_256", "GENERATE_VERIFY_MAC"),
          KeyKind.of("ECC_NIST_P384", "KEY_AGREEMENT"),
          KeyKind.of("ML_KEM_768", "ENCAPSULATE_DECAPSULATE"));
  static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-central-1");

  /**
   * A random role assignment: disjoint principals for administrators, users, service users,
   * auditors, cross-account users; grant users drawn from the users; a break-glass choice.
   */
  record Assignment(
      KeyKind kind,
      List<String> admins,
      List<String> users,
      Map<String, Map<AwsService, List<String>>> serviceUsers,
      List<String> grantUsers,
      List<String> auditors,
      List<String> crossAccount,
      boolean crossAccountGrants,
      BreakGlass breakGlass,
      long seed) {

    KeyPolicyBuilder builder(boolean shuffled) {
      Random r = new Random(seed);
      KeyPolicyBuilder b =
          KeyPolicyBuilder.forAccount(ACCOUNT).keyKind(kind).breakGlass(breakGlass);
      b.administrators(maybeShuffle(admins, shuffled, r));
      b.users(maybeShuffle(users, shuffled, r));
      List<String> sus = maybeShuffle(new ArrayList<>(serviceUsers.keySet()), shuffled, r);
      for (String p : sus) {
        for (Map.Entry<AwsService, List<String>> e :
            requireNonNull(serviceUsers.get(p)).entrySet()) {
          b.addServiceUsers(
              List.of(p), List.of(e.getKey()), maybeShuffle(e.getValue(), shuffled, r));
        }
      }
      b.grantUsers(maybeShuffle(grantUsers, shuffled, r));
      b.auditors(maybeShuffle(auditors, shuffled, r));
      b.crossAccountUsers(maybeShuffle(crossAccount, shuffled, r));
      b.crossAccountGrants(crossAccountGrants);
      return b;
    }

    static List<String> maybeShuffle(List<String> list, boolean shuffled, Random r) {
      List<String> copy = new ArrayList<>(list);
      if (shuffled) {
        Collections.shuffle(copy, r);
        if (!copy.isEmpty()) {
          copy.add(copy.get(0)); // a duplicate too
        }
      }
      return copy;
    }
  }

  static Gen<Assignment> assignments() {
    return randoms()
        .map(
            r -> {
              List<String> pool = new ArrayList<>();
              for (int i = 0; i < 16; i++) {
                pool.add(
                    String.format(
                        "arn:aws:iam::111122223333:%s/%s%02d",
                        r.nextInt(4) == 0 ? "user" : "role", r.nextBoolean() ? "svc-" : "app/", i));
              }
              Collections.shuffle(pool, r);
              int n = 0;
              List<String> admins = pool.subList(n, n += 1 + r.nextInt(2));
              List<String> users = pool.subList(n, n += r.nextInt(3));
              List<String> serviceUserPrincipals = pool.subList(n, n += r.nextInt(3));
              List<String> auditors = new ArrayList<>(pool.subList(n, n += r.nextInt(2)));
              String breakGlassRole = pool.get(n++);
              if (r.nextBoolean()) {
                auditors.add("arn:aws:iam::999988887777:role/ExternalAudit");
              }
              Map<String, Map<AwsService, List<String>>> su = new TreeMap<>();
              for (String p : serviceUserPrincipals) {
                Map<AwsService, List<String>> m =
                    new TreeMap<>((a, b) -> a.name().compareTo(b.name()));
                int services = 1 + r.nextInt(3);
                for (int i = 0; i < services; i++) {
                  AwsService s = AwsService.known().get(r.nextInt(AwsService.known().size()));
                  List<String> regions = new ArrayList<>(REGIONS);
                  Collections.shuffle(regions, r);
                  m.put(s, List.copyOf(regions.subList(0, 1 + r.nextInt(2))));
                }
                su.put(p, m);
              }
              List<String> grantUsers = new ArrayList<>();
              for (String u : users) {
                if (r.nextBoolean()) {
                  grantUsers.add(u);
                }
              }
              List<String> cross = new ArrayList<>();
              if (r.nextBoolean()) {
                cross.add("444455556666");
              }
              if (r.nextBoolean()) {
                cross.add("arn:aws:iam::777788889999:role/Partner");
              }
              BreakGlass bg =
                  switch (r.nextInt(3)) {
                    case 0 -> BreakGlass.none();
                    case 1 ->
                        BreakGlass.rootRestrictedTo(breakGlassRole.replace(":user/", ":role/"));
                    default -> BreakGlass.awsDefault();
                  };
              return new Assignment(
                  KINDS.get(r.nextInt(KINDS.size())),
                  List.copyOf(admins),
                  List.copyOf(users),
                  su,
                  grantUsers,
                  auditors,
                  cross,
                  r.nextBoolean(),
                  bg,
                  r.nextLong());
            });
  }

  @Test
  void build_anyAssignment_hasNoBlockingOrRecommendedFindingButTheRootDelegation() {
    Coverage coverage = new Coverage();
    qt().withExamples(220)
        .forAll(assignments())
        .checkAssert(
            a -> {
              BuiltKeyPolicy built = a.builder(false).build();
              coverage.collect("break-glass", a.breakGlass().kind());
              coverage.collect("service users", !a.serviceUsers().isEmpty());
              coverage.collect("cross-account", !a.crossAccount().isEmpty());
              List<BuilderFinding.Code> recommended =
                  built.findings(Severity.RECOMMENDED).stream()
                      .map(BuilderFinding::code)
                      .collect(Collectors.toList());
              if (a.breakGlass().kind() == BreakGlass.Kind.AWS_DEFAULT) {
                assertThat(recommended).containsExactly(BuilderFinding.Code.ROOT_DELEGATION);
              } else {
                assertThat(recommended).isEmpty();
              }
              assertThat(built.findings(Severity.OPTIONAL))
                  .allMatch(f -> f.code() == BuilderFinding.Code.EXTERNAL_AUDITOR_LIMITED);
            });
    for (BreakGlass.Kind kind : BreakGlass.Kind.values()) {
      coverage.requireAbove("break-glass", kind, 15);
    }
    coverage.requireAbove("service users", true, 30);
    coverage.requireAbove("cross-account", true, 30);
  }

  @Test
  void build_sameAssignmentInAnyOrderWithDuplicates_byteIdentical() {
    qt().withExamples(220)
        .forAll(assignments())
        .checkAssert(
            a -> {
              assertThat(a.builder(true).build().toJson())
                  .isEqualTo(a.builder(false).build().toJson());
            });
  }

  @Test
  void build_anyAssignment_roundTripsAndHasNoValidationIssue() {
    qt().withExamples(220)
        .forAll(assignments())
        .checkAssert(
            a -> {
              KeyPolicy p = a.builder(false).buildPolicy();
              assertThat(KeyPolicy.parse(p.toJson())).isEqualTo(p);
              assertThat(p.validate()).isEmpty();
              assertThat(p.compactSize()).isLessThanOrEqualTo(KeyPolicy.MAX_BYTES);
            });
  }

  @Test
  void build_anyAssignment_principalsAppearOnlyInTheirRolesStatements() {
    qt().withExamples(220)
        .forAll(assignments())
        .checkAssert(
            a -> {
              // given
              KeyPolicy p = a.builder(false).buildPolicy();
              Map<String, Set<String>> sidsOf = new TreeMap<>();
              for (Statement s : p.statements()) {
                for (var principal : s.principals()) {
                  sidsOf.computeIfAbsent(principal.value(), k -> new TreeSet<>()).add(s.sid());
                }
              }
              // then
              for (String admin : a.admins()) {
                assertThat(sidsOf.get(admin)).containsExactly("KeyAdministrators");
              }
              for (String user : a.users()) {
                Set<String> expected = new TreeSet<>(Set.of("KeyUsers"));
                if (a.grantUsers().contains(user)) {
                  expected.add("GrantsForAwsResources");
                }
                assertThat(sidsOf.get(user)).isEqualTo(expected);
              }
              for (String su : a.serviceUsers().keySet()) {
                assertThat(sidsOf.get(su)).allMatch(sid -> sid.startsWith("KeyUsersVia"));
              }
            });
  }

  @Test
  void build_anyAssignment_useAndAdministrationNeverShareAStatement() {
    qt().withExamples(220)
        .forAll(assignments())
        .checkAssert(
            a -> {
              for (Statement s : a.builder(false).buildPolicy().statements()) {
                boolean use = s.actions().stream().anyMatch(KmsAction::isCryptographic);
                boolean admin = s.actions().contains(KmsAction.PUT_KEY_POLICY);
                boolean breakGlassAll = s.actions().contains(KmsAction.ALL);
                assertThat(use && admin && !breakGlassAll).as(s.sid()).isFalse();
              }
            });
  }

  @Test
  void evaluate_anyAssignment_eachPrincipalCanDoExactlyItsRolesActions() {
    qt().withExamples(66)
        .forAll(assignments())
        .checkAssert(
            a -> {
              // given: every principal outside the key's account also has an IAM policy allowing
              // kms:*
              KeyPolicy p = a.builder(false).buildPolicy();
              KeyAccessEvaluator.Builder eb =
                  KeyAccessEvaluator.builder()
                      .keyPolicy(p)
                      .keyArn(KeyPolicyBuilderAccessTest.KEY_ARN);
              List<String> external = new ArrayList<>();
              for (String x : a.crossAccount()) {
                external.add(AccountId.isAccountId(x) ? new AccountId(x).rootArn() : x);
              }
              a.auditors().stream()
                  .filter(x -> !x.contains(ACCOUNT.value()))
                  .forEach(external::add);
              external.forEach(
                  x -> eb.addIdentityPolicy(x, KeyPolicyBuilderAccessTest.ALLOW_ALL_KMS));
              KeyAccessEvaluator ev = eb.build();
              Set<KmsAction> use = KeyPolicyBuilderAccessTest.set(a.kind().userActions());
              // then
              for (String admin : a.admins()) {
                assertThat(allowed(ev, admin, Map.of()))
                    .as(admin)
                    .isEqualTo(set(Actions.ADMINISTRATION));
              }
              for (String user : a.users()) {
                Set<KmsAction> withGrants = set(use);
                if (a.grantUsers().contains(user)) {
                  withGrants.addAll(Actions.GRANTS);
                }
                assertThat(allowed(ev, user, Map.of())).as(user).isEqualTo(use);
                assertThat(allowed(ev, user, Map.of("kms:GrantIsForAWSResource", "true")))
                    .as(user)
                    .isEqualTo(withGrants);
              }
              for (Map.Entry<String, Map<AwsService, List<String>>> e :
                  a.serviceUsers().entrySet()) {
                assertThat(allowed(ev, e.getKey(), Map.of())).as(e.getKey()).isEmpty();
                for (Map.Entry<AwsService, List<String>> s : e.getValue().entrySet()) {
                  for (String region : s.getValue()) {
                    assertThat(
                            allowed(
                                ev,
                                e.getKey(),
                                Map.of("kms:ViaService", s.getKey().viaServiceValue(region))))
                        .as(e.getKey() + " via " + s.getKey().viaServiceValue(region))
                        .isEqualTo(use);
                  }
                }
              }
              for (String auditor : a.auditors()) {
                boolean local = auditor.contains(ACCOUNT.value());
                assertThat(allowed(ev, auditor, Map.of()))
                    .as(auditor)
                    .isEqualTo(set(local ? Actions.AUDIT : Actions.EXTERNAL_AUDIT));
              }
              for (String x : a.crossAccount()) {
                String principal = AccountId.isAccountId(x) ? new AccountId(x).rootArn() : x;
                Set<KmsAction> expected = set(use);
                if (a.crossAccountGrants()) {
                  expected.addAll(Actions.GRANTS);
                }
                assertThat(allowed(ev, principal, Map.of("kms:GrantIsForAWSResource", "true")))
                    .as(principal)
                    .isEqualTo(expected);
              }
              assertThat(allowed(ev, "arn:aws:iam::111122223333:role/Stranger", Map.of()))
                  .isEmpty();
              assertThat(allowed(ev, "arn:aws:iam::555566667777:role/Stranger", Map.of()))
                  .isEmpty();
            });
  }

  static Set<KmsAction> allowed(KeyAccessEvaluator ev, String principal, Map<String, String> ctx) {
    return KeyPolicyBuilderAccessTest.allowed(ev, principal, ctx);
  }

  static Set<KmsAction> set(java.util.Collection<KmsAction> actions) {
    return KeyPolicyBuilderAccessTest.set(actions);
  }

  @Test
  void analyze_anyAssignment_hasNoVerdictButTheRootDelegationChoice() {
    qt().withExamples(220)
        .forAll(assignments())
        .checkAssert(
            a -> {
              // given
              AccessAnalysis an = AccessAnalysis.of(a.builder(false).buildPolicy(), ACCOUNT);
              boolean root = a.breakGlass().kind() == BreakGlass.Kind.AWS_DEFAULT;
              Set<String> rootSids = root ? Set.of("Enable IAM User Permissions") : Set.of();
              Set<String> plainUse = new TreeSet<>(rootSids);
              if (!a.users().isEmpty()) {
                plainUse.add("KeyUsers");
              }
              for (String x : a.crossAccount()) {
                plainUse.add(
                    "CrossAccountUse" + Principal.aws(x).accountId().orElseThrow().value());
              }
              // then
              assertThat(an.isPublic()).isFalse();
              assertThat(an.lockoutRisk()).isFalse();
              assertThat(an.adminsWhoCanUse())
                  .flatExtracting(PrincipalActions::reasons)
                  .extracting(r -> r.place().sid())
                  .allMatch(rootSids::contains);
              assertThat(an.adminsWhoCanUse().isEmpty()).isEqualTo(!root);
              assertThat(an.createGrantWithoutAwsResourceCondition())
                  .extracting(r -> r.place().sid())
                  .allMatch(rootSids::contains);
              assertThat(an.usageWithoutViaService())
                  .extracting(r -> r.place().sid())
                  .allMatch(plainUse::contains);
              for (String admin : a.admins()) {
                assertThat(an.canPutKeyPolicy(admin).passes()).as(admin).isTrue();
              }
            });
  }
}
