package dev.kmsposture.rules;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.policy.PolicyIssue;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a rule context computes once per policy text, once per key, and never shares. */
class RuleContextSharingTest {
  private static final String ROOT_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\","
          + "\"Resource\":\"*\"}]}";

  private static KeySnapshot key(String account, String id, String policy) {
    // new String: each key holds its own copy of the text, as when read from JSON
    return KeySnapshot.builder(
            "arn:aws:kms:us-east-1:" + account + ":key/" + id, EngineFixtures.metadata())
        .policy(new String(policy.toCharArray()))
        .build();
  }

  private static RuleContext context(KeySnapshot... keys) {
    return RuleContext.of(
        AccountSnapshot.of(EngineFixtures.ACCOUNT, EngineFixtures.NOW, List.of(keys)),
        PostureConfig.defaults());
  }

  @Test
  void policy_sameTextOnTwoKeys_isParsedOnceAndShared() {
    KeySnapshot a = key(EngineFixtures.ACCOUNT, "a", ROOT_POLICY);
    KeySnapshot b = key(EngineFixtures.ACCOUNT, "b", ROOT_POLICY);
    RuleContext context = context(a, b);

    assertThat(context.policy(a).orElseThrow()).isSameAs(context.policy(b).orElseThrow());
    assertThat(context.analysis(a).orElseThrow()).isSameAs(context.analysis(b).orElseThrow());
  }

  @Test
  void analysis_sameTextInTwoAccounts_isAnalysedPerAccount() {
    KeySnapshot own = key(EngineFixtures.ACCOUNT, "a", ROOT_POLICY);
    KeySnapshot other = key("444455556666", "b", ROOT_POLICY);
    RuleContext context = context(own, other);

    var ownAnalysis = context.analysis(own).orElseThrow();
    var otherAnalysis = context.analysis(other).orElseThrow();

    assertThat(ownAnalysis).isNotSameAs(otherAnalysis);
    assertThat(ownAnalysis.keyAccount().value()).isEqualTo(EngineFixtures.ACCOUNT);
    assertThat(otherAnalysis.keyAccount().value()).isEqualTo("444455556666");
    // the root of 111122223333 is another account for a key of 444455556666
    assertThat(otherAnalysis.externalAccounts()).isNotEmpty();
    assertThat(ownAnalysis.externalAccounts()).isEmpty();
  }

  @Test
  void derive_isComputedOncePerTextAndAccount() {
    AtomicInteger calls = new AtomicInteger();
    PolicyDerivation<Integer> statements =
        (policy, analysis, config) -> {
          calls.incrementAndGet();
          return policy.statements().size();
        };
    KeySnapshot a = key(EngineFixtures.ACCOUNT, "a", ROOT_POLICY);
    KeySnapshot b = key(EngineFixtures.ACCOUNT, "b", ROOT_POLICY);
    KeySnapshot other = key("444455556666", "c", ROOT_POLICY);
    RuleContext context = context(a, b, other);

    assertThat(context.derive(a, statements)).contains(1);
    assertThat(context.derive(b, statements)).contains(1);
    assertThat(context.derive(a, statements)).contains(1);
    assertThat(calls).hasValue(1);
    assertThat(context.derive(other, statements)).contains(1);
    assertThat(calls).hasValue(2);
  }

  @Test
  void derive_policyMissingOrNotParsing_isEmptyAndNotComputed() {
    PolicyDerivation<String> never =
        (policy, analysis, config) -> {
          throw new AssertionError("must not be called");
        };
    KeySnapshot missing =
        KeySnapshot.builder("arn:aws:kms:us-east-1:111122223333:key/m", EngineFixtures.metadata())
            .build();
    KeySnapshot broken = key(EngineFixtures.ACCOUNT, "x", "{\"Statement\": 1}");
    RuleContext context = context(missing, broken);

    assertThat(context.derive(missing, never)).isEmpty();
    assertThat(context.derive(broken, never)).isEmpty();
    assertThat(context.policyProblem(broken).orElseThrow()).contains("does not parse");
  }

  @Test
  @SuppressWarnings("NullAway") // returns null on purpose: the rejection is the subject
  void derive_returningNull_isReportedAsABugInTheRule() {
    KeySnapshot a = key(EngineFixtures.ACCOUNT, "a", ROOT_POLICY);
    RuleContext context = context(a);

    assertThatThrownBy(() -> context.derive(a, (policy, analysis, config) -> null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("policy derivation returned null");
  }

  @Test
  void policyIssues_resourceNamingAKey_isJudgedPerKeyNotShared() {
    String arnA = "arn:aws:kms:us-east-1:111122223333:key/a";
    String pinned = ROOT_POLICY.replace("\"Resource\":\"*\"", "\"Resource\":\"" + arnA + "\"");
    KeySnapshot a = key(EngineFixtures.ACCOUNT, "a", pinned);
    KeySnapshot b = key(EngineFixtures.ACCOUNT, "b", pinned);
    RuleContext context = context(a, b);

    assertThat(context.policyIssues(a))
        .extracting(PolicyIssue::kind)
        .doesNotContain(PolicyIssue.Kind.RESOURCE_NOT_THIS_KEY);
    assertThat(context.policyIssues(b))
        .extracting(PolicyIssue::kind)
        .contains(PolicyIssue.Kind.RESOURCE_NOT_THIS_KEY);
    assertThat(context.policyIssues(b).toString()).contains("key/b");
  }

  @Test
  void policyIssues_wildcardResources_areSharedBetweenKeys() {
    KeySnapshot a = key(EngineFixtures.ACCOUNT, "a", ROOT_POLICY.replace("\"Sid\":\"Root\",", ""));
    KeySnapshot b = key(EngineFixtures.ACCOUNT, "b", ROOT_POLICY.replace("\"Sid\":\"Root\",", ""));
    RuleContext context = context(a, b);

    assertThat(context.policyIssues(a)).isSameAs(context.policyIssues(b));
    assertThat(context.policyIssues(a))
        .isEqualTo(context.policy(a).orElseThrow().validate(a.arn()));
  }

  @Test
  void keysWithTheSameArn_areEachJudgedOnTheirOwnPolicy() {
    KeySnapshot first = key(EngineFixtures.ACCOUNT, "same", ROOT_POLICY);
    KeySnapshot second = key(EngineFixtures.ACCOUNT, "same", "{\"Statement\": 1}");
    RuleContext context = context(first, second);

    assertThat(context.policy(first)).isPresent();
    assertThat(context.policy(second)).isEmpty();
    assertThat(context.policy(first)).isPresent();
  }

  @Test
  void describeCapitalized_startsTheSentence() {
    KeySnapshot a = EngineFixtures.key("a", "prod-customer-pii");
    RuleContext context = context(a);

    assertThat(context.describe(a)).isEqualTo("the CMK named prod-customer-pii");
    assertThat(context.describeCapitalized(a)).isEqualTo("The CMK named prod-customer-pii");
  }

  @Test
  void memories_areBounded_andFactsStayCorrectBeyondTheBounds() {
    int n = RuleContext.MAX_KEYS + 50;
    List<KeySnapshot> keys = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      // every text differs (its Sid names the key), so the text memory fills up too
      keys.add(key(EngineFixtures.ACCOUNT, "k" + i, ROOT_POLICY.replace("Root", "Root" + i)));
    }
    RuleContext context =
        RuleContext.of(
            AccountSnapshot.of(EngineFixtures.ACCOUNT, EngineFixtures.NOW, keys),
            PostureConfig.defaults());
    AtomicInteger calls = new AtomicInteger();
    PolicyDerivation<String> sid =
        (policy, analysis, config) -> {
          calls.incrementAndGet();
          return requireNonNull(policy.statements().get(0).sid());
        };

    for (int i = 0; i < n; i++) {
      assertThat(context.derive(keys.get(i), sid)).contains("Root" + i);
    }
    // the first key's facts were let go and are recomputed, with the same answers
    assertThat(context.policy(keys.get(0)).orElseThrow().statements().get(0).sid())
        .isEqualTo("Root0");
    assertThat(context.derive(keys.get(0), sid)).contains("Root0");
    assertThat(context.describe(keys.get(0))).contains("key/k0");
    assertThat(calls.get()).isGreaterThanOrEqualTo(n);
  }
}
