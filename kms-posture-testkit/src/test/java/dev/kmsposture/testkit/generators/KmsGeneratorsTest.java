package dev.kmsposture.testkit.generators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Grant;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.ConditionOperator;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the generators produce, counted: a generator that stops producing an important shape fails
 * here. The counts are over fixed seeds, so they are exact, and the bounds leave room for changes
 * to the draws.
 */
class KmsGeneratorsTest {
  private static final AccountId ACCOUNT = KmsGenerators.DEFAULT_ACCOUNT;

  /** Counts how many of {@code values} have each label. */
  private static <T> Map<String, Integer> count(List<T> values, Function<T, List<String>> labels) {
    Map<String, Integer> counts = new TreeMap<>();
    for (T v : values) {
      for (String label : labels.apply(v)) {
        counts.merge(label, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static String kind(Principal p) {
    if (p instanceof Principal.Everyone) {
      return "bare *";
    }
    if (p instanceof Principal.Service) {
      return "service";
    }
    if (p instanceof Principal.Aws aws) {
      if (aws.value().equals("*")) {
        return "AWS *";
      }
      String account = aws.accountId().map(AccountId::value).orElse("?");
      String where = account.equals(ACCOUNT.value()) ? "" : " (other account)";
      if (aws.kind() == Principal.AwsKind.ACCOUNT) {
        return (aws.value().startsWith("arn:") ? "account root" : "account id") + where;
      }
      return aws.kind().name().toLowerCase(java.util.Locale.ROOT) + where;
    }
    return "other";
  }

  @Test
  void principals_everyKindIsProduced() {
    List<Principal> drawn = KmsGenerators.principals().samples(1L, 2000);
    Map<String, Integer> counts = count(drawn, p -> List.of(kind(p)));
    assertThat(counts)
        .containsKeys(
            "bare *",
            "AWS *",
            "account root",
            "account id",
            "role",
            "user",
            "assumed_role_session",
            "service",
            "account root (other account)",
            "account id (other account)",
            "role (other account)");
    assertThat(counts.get("role")).isGreaterThan(200);
    assertThat(counts.get("bare *")).isGreaterThan(100);
    assertThat(KmsGenerators.principals().edgeCases().subList(0, 2))
        .containsExactly(Principal.everyone(), Principal.aws("*"));
  }

  @Test
  void principals_withoutWildcards_neverStar() {
    List<Principal> drawn = KmsGenerators.principals().withoutWildcards().samples(2L, 1000);
    assertThat(drawn).noneMatch(p -> p.value().equals("*"));
  }

  @Test
  void principals_forAccount_namesThatAccount() {
    AccountId other = AccountId.of("210987654321");
    List<Principal> drawn = KmsGenerators.principals().forAccount(other).samples(3L, 500);
    assertThat(drawn).anyMatch(p -> p.value().contains(other.value()));
    assertThat(drawn).noneMatch(p -> p.value().contains(ACCOUNT.value()));
  }

  @Test
  void kmsActions_everyKeyPolicyActionAndWildcards() {
    List<KmsAction> drawn = KmsGenerators.kmsActions().samples(4L, 4000);
    assertThat(drawn).containsAll(Vocabulary.KEY_POLICY_ACTIONS);
    long wildcards = drawn.stream().filter(KmsAction::isWildcard).count();
    assertThat(wildcards).isBetween(600L, 1400L);
    assertThat(KmsGenerators.kmsActions().withoutWildcards().samples(5L, 1000))
        .noneMatch(KmsAction::isWildcard);
  }

  @Test
  void conditionBlocks_everyOperatorFamilyQualifierAndIfExists() {
    List<List<Condition>> drawn = KmsGenerators.conditionBlocks().samples(6L, 1500);
    Map<String, Integer> counts =
        count(
            drawn,
            block -> {
              List<String> labels = new ArrayList<>();
              if (block.isEmpty()) {
                labels.add("empty");
              }
              if (block.size() == 1) {
                labels.add("single");
              }
              for (Condition c : block) {
                ConditionOperator op = c.operator();
                labels.add(
                    op.base()
                        .replaceAll("(Not)?(Equals|Like|LessThan|GreaterThan|IgnoreCase)+", "")
                        .replace("NotIpAddress", "IpAddress"));
                if (op.ifExists()) {
                  labels.add("IfExists");
                }
                if (op.qualifier() != ConditionOperator.Qualifier.NONE) {
                  labels.add(op.qualifier().name());
                }
              }
              return labels;
            });
    assertThat(counts)
        .containsKeys(
            "empty",
            "single",
            "String",
            "Numeric",
            "Date",
            "Bool",
            "Binary",
            "IpAddress",
            "Arn",
            "Null",
            "IfExists",
            "FOR_ANY_VALUE",
            "FOR_ALL_VALUES");
    assertThat(counts.get("IfExists")).isGreaterThan(300);
    assertThat(counts.get("FOR_ANY_VALUE")).isGreaterThan(50);
    assertThat(KmsGenerators.conditionBlocks().edgeCases().get(2)).hasSize(9);
  }

  @Test
  void conditionBlocks_maxConditions_boundsEveryBlockAndEveryEdgeCase() {
    for (int max : List.of(0, 1, 2, 8, 9)) {
      ConditionBlockGenerator blocks = KmsGenerators.conditionBlocks().maxConditions(max);
      assertThat(blocks.samples(11L, 500))
          .as("at most %d conditions", max)
          .allSatisfy(block -> assertThat(block).hasSizeLessThanOrEqualTo(max));
      assertThat(blocks.edgeCases())
          .as("edge cases of at most %d conditions", max)
          .allSatisfy(block -> assertThat(block).hasSizeLessThanOrEqualTo(max))
          .contains(List.of());
    }
    // The bound is reached (at the largest size, where a block may be as long as the maximum),
    // and the largest edge case (one condition of every family) needs room for nine.
    ConditionBlockGenerator two = KmsGenerators.conditionBlocks().maxConditions(2);
    SplittableRandom random = new SplittableRandom(11L);
    List<List<Condition>> largest = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      largest.add(two.generate(random, Generator.MAX_SIZE));
    }
    assertThat(largest).anyMatch(block -> block.size() == 2);
    assertThat(KmsGenerators.conditionBlocks().maxConditions(8).edgeCases())
        .noneMatch(block -> block.size() == 9);
    assertThat(KmsGenerators.conditionBlocks().maxConditions(9).edgeCases())
        .anyMatch(block -> block.size() == 9);
    assertThatThrownBy(() -> KmsGenerators.conditionBlocks().maxConditions(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximum conditions [-1] is negative; expected 0 or more");
  }

  @Test
  void statements_defaultNamesNoWildcardPrincipal() {
    List<Statement> drawn = KmsGenerators.statements().samples(7L, 1000);
    assertThat(drawn).noneMatch(s -> s.principals().stream().anyMatch(p -> p.value().equals("*")));
    assertThat(drawn).anyMatch(s -> !s.isAllow()).anyMatch(s -> !s.conditions().isEmpty());
  }

  @Test
  void statements_leastPrivilegeOnly_allowsNamedPrincipalsConcreteActions() {
    List<Statement> drawn = KmsGenerators.statements().leastPrivilegeOnly().samples(8L, 1000);
    assertThat(drawn.subList(2, drawn.size()))
        .allSatisfy(
            s -> {
              assertThat(s.isAllow()).isTrue();
              assertThat(s.isNotPrincipal()).isFalse();
              assertThat(s.actions()).noneMatch(KmsAction::isWildcard);
              assertThat(s.principals())
                  .allMatch(
                      p ->
                          p instanceof Principal.Aws aws
                              && aws.kind() != Principal.AwsKind.ACCOUNT);
            });
  }

  @Test
  void statements_riskyShapes_everyShapeIsProduced() {
    List<Statement> drawn =
        KmsGenerators.statements().withWildcardPrincipals().withRiskyShapes().samples(9L, 3000);
    Map<String, Integer> counts =
        count(
            drawn,
            s -> {
              List<String> labels = new ArrayList<>();
              boolean deny = !s.isAllow();
              if (deny && !s.conditions().isEmpty()) {
                labels.add("conditional Deny");
              }
              if (deny && s.isNotPrincipal()) {
                labels.add("NotPrincipal Deny");
              }
              if (!deny && s.isNotPrincipal()) {
                labels.add("NotPrincipal Allow");
              }
              if (deny
                  && s.principals().stream()
                      .anyMatch(
                          p ->
                              p instanceof Principal.Aws a
                                  && a.kind() == Principal.AwsKind.ACCOUNT)) {
                labels.add("Deny on account principal");
              }
              if (s.isNotAction()) {
                labels.add("NotAction");
              }
              if (s.isNotResource()) {
                labels.add("NotResource");
              }
              if (s.resource() == null) {
                labels.add("no Resource");
              }
              if (s.action() == null) {
                labels.add("no Action");
              }
              if (s.resources().contains("*")) {
                labels.add("Resource *");
              }
              if (s.resources().stream().anyMatch(r -> r.endsWith("1234567890ab"))) {
                labels.add("Resource this key");
              }
              if (!s.isNotResource()
                  && s.resources().stream().anyMatch(r -> r.endsWith("0987654321ba"))) {
                labels.add("Resource another key");
              }
              if (s.principals().contains(Principal.everyone())) {
                labels.add("bare *");
              }
              if (deny && s.resources().stream().anyMatch(r -> r.endsWith("0987654321ba"))) {
                labels.add("Deny with Resource another key");
              }
              if (deny && s.resources().stream().anyMatch(r -> r.endsWith("1234567890ab"))) {
                labels.add("Deny with Resource this key");
              }
              return labels;
            });
    for (String shape :
        List.of(
            "conditional Deny",
            "NotPrincipal Deny",
            "NotPrincipal Allow",
            "Deny on account principal",
            "NotAction",
            "NotResource",
            "no Resource",
            "no Action",
            "Resource *",
            "Resource this key",
            "Resource another key",
            "Deny with Resource another key",
            "Deny with Resource this key",
            "bare *")) {
      assertThat(counts.getOrDefault(shape, 0)).as(shape + " in " + counts).isGreaterThan(40);
    }
  }

  @Test
  void keyPolicies_allFitKmsLimitsAndHaveUniqueSids() {
    List<KeyPolicyGenerator> generators =
        List.of(
            KmsGenerators.keyPolicies(),
            KmsGenerators.keyPolicies().leastPrivilegeOnly(),
            KmsGenerators.keyPolicies().withWildcardPrincipals().withRiskyShapes());
    for (KeyPolicyGenerator g : generators) {
      for (KeyPolicy p : g.edgeCases()) {
        assertThat(KeyPolicy.parse(p.toJson())).isEqualTo(p);
      }
    }
    for (KeyPolicyGenerator g :
        List.of(
            KmsGenerators.keyPolicies(),
            KmsGenerators.keyPolicies().leastPrivilegeOnly(),
            KmsGenerators.keyPolicies().withWildcardPrincipals().withRiskyShapes())) {
      for (KeyPolicy p : g.samples(10L, 300)) {
        assertThat(p.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .hasSizeLessThanOrEqualTo(KeyPolicy.MAX_BYTES);
        List<String> sids =
            p.statements().stream().map(Statement::sid).filter(s -> s != null).toList();
        assertThat(sids).doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void keyPolicies_edgeCasesIncludeTheLargestAndTheSingleObjectForm() {
    List<KeyPolicy> edges = KmsGenerators.keyPolicies().edgeCases();
    assertThat(edges.get(0).statementArray()).isFalse();
    assertThat(edges)
        .anySatisfy(
            p ->
                assertThat(p.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isGreaterThan(KeyPolicy.MAX_BYTES * 8 / 10));
  }

  @Test
  void keyPolicies_riskyShapes_makeSomePublicAndSomeNot() {
    List<KeyPolicy> drawn =
        KmsGenerators.keyPolicies().withWildcardPrincipals().withRiskyShapes().samples(11L, 500);
    long isPublic = drawn.stream().filter(p -> AccessAnalysis.of(p, ACCOUNT).isPublic()).count();
    assertThat(isPublic).isBetween(30L, 300L);
    long leastPrivilegePublic =
        KmsGenerators.keyPolicies().leastPrivilegeOnly().samples(12L, 300).stream()
            .filter(p -> AccessAnalysis.of(p, ACCOUNT).isPublic())
            .count();
    assertThat(leastPrivilegePublic).isZero();
  }

  @Test
  void accessRequests_everyCallerKindAndContextKey() {
    List<AccessRequest> drawn = KmsGenerators.accessRequests().samples(13L, 2000);
    assertThat(drawn).anyMatch(AccessRequest::isAnonymous);
    assertThat(drawn).anyMatch(r -> r.principal().endsWith(".amazonaws.com"));
    assertThat(drawn).anyMatch(r -> r.principal().contains(":999999999999:"));
    assertThat(drawn).anyMatch(AccessRequest::hasPermissionsBoundary);
    Map<String, Integer> keys = count(drawn, r -> List.copyOf(r.context().keySet()));
    assertThat(keys.keySet())
        .contains(
            "kms:ViaService",
            "kms:EncryptionContext:app",
            "kms:EncryptionContextKeys",
            "kms:GrantIsForAWSResource",
            "aws:PrincipalOrgID",
            "aws:SourceIp",
            "aws:SourceVpce",
            "aws:CurrentTime");
    assertThat(drawn).anyMatch(r -> r.context().isEmpty());
  }

  @Test
  void grants_constraintsAndRedelegation() {
    List<Grant> drawn = KmsGenerators.grants().samples(14L, 600);
    assertThat(drawn).anyMatch(g -> !g.encryptionContextEquals().isEmpty());
    assertThat(drawn).anyMatch(g -> !g.encryptionContextSubset().isEmpty());
    assertThat(drawn)
        .anyMatch(
            g -> g.encryptionContextEquals().isEmpty() && g.encryptionContextSubset().isEmpty());
    assertThat(drawn).anyMatch(g -> g.operations().contains("CreateGrant"));
    assertThat(drawn).anyMatch(g -> g.granteePrincipal().endsWith(".amazonaws.com"));
    assertThat(KmsGenerators.keyGrants().samples(14L, 10)).hasSize(10);
  }

  @Test
  void keySnapshots_everyKindAndState() {
    List<KeySnapshot> drawn = KmsGenerators.keySnapshots().samples(15L, 1500);
    Map<String, Integer> kinds =
        count(drawn, k -> List.of(k.metadata().keySpec() + "/" + k.metadata().keyUsage()));
    for (List<String> kind : Vocabulary.KEY_KINDS) {
      assertThat(kinds).containsKey(kind.get(0) + "/" + kind.get(1));
    }
    Map<String, Integer> states = count(drawn, k -> List.of(k.metadata().keyState()));
    assertThat(states.keySet()).containsExactlyInAnyOrderElementsOf(Vocabulary.KEY_STATES);
    assertThat(states.values()).allMatch(n -> n > 100);
    assertThat(drawn).anyMatch(k -> !k.metadata().isCustomerManaged());
    assertThat(drawn).anyMatch(k -> k.policy() == null && !k.unreadable().isEmpty());
    assertThat(drawn).anyMatch(k -> k.metadata().isReplica());
    assertThat(drawn).anyMatch(k -> k.metadata().isImportedMaterial());
  }

  @Test
  void keySnapshots_statesAreConsistent() {
    for (KeySnapshot k : KmsGenerators.keySnapshots().samples(16L, 500)) {
      switch (k.metadata().keyState()) {
        case "PendingDeletion" -> {
          assertThat(k.metadata().deletionDate()).isAfter(KmsGenerators.CAPTURED_AT);
          assertThat(k.metadata().pendingDeletionWindowInDays()).isBetween(7, 30);
        }
        case "PendingImport" -> assertThat(k.metadata().origin()).isEqualTo("EXTERNAL");
        case "Unavailable" -> assertThat(k.metadata().customKeyStoreId()).isNotNull();
        case "PendingReplicaDeletion" -> assertThat(k.metadata().isPrimary()).isTrue();
        case "Creating" -> assertThat(k.metadata().isReplica()).isTrue();
        default -> {}
      }
      if (k.keyId().startsWith("mrk-")) {
        assertThat(k.keyId()).matches("mrk-[0-9a-f]{32}");
      }
      if (k.policy() != null) {
        assertThat(KeyPolicy.parse(k.policy()).toJson()).isEqualTo(k.policy());
      }
    }
  }

  @Test
  void accountSnapshots_emptyFirstThenKeysAndTrails() {
    List<AccountSnapshot> drawn = KmsGenerators.accountSnapshots().samples(17L, 100);
    assertThat(drawn.get(0).keys()).isEmpty();
    assertThat(drawn).anyMatch(s -> s.trails() == null);
    assertThat(drawn).anyMatch(s -> s.trails() != null && s.trails().isEmpty());
    assertThat(drawn).anyMatch(s -> s.keys().size() >= 6);
    for (AccountSnapshot s : drawn) {
      assertThat(s.keys()).extracting(KeySnapshot::arn).doesNotHaveDuplicates();
      assertThat(AccountSnapshot.parse(s.toJson())).isEqualTo(s);
    }
  }

  @Test
  void everyKind_sameSeed_sameValues() {
    for (KmsSource.Kind kind : KmsSource.Kind.values()) {
      assertThat(kind.generator().samples(99L, 30))
          .as(kind.name())
          .isEqualTo(kind.generator().samples(99L, 30));
    }
  }

  @Test
  void configurationMethods_returnNewGenerators() {
    KeyPolicyGenerator base = KmsGenerators.keyPolicies();
    KeyPolicyGenerator risky = base.withRiskyShapes();
    assertThat(risky).isNotSameAs(base);
    assertThat(base.edgeCases()).hasSizeLessThan(risky.edgeCases().size());
  }
}
