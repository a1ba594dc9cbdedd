package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RuleTest {
  // The engine runs key rules per key and account rules once; a third kind of rule would be
  // skipped silently, so Rule admits only these two.
  @Test
  void rule_isSealedOverKeyRuleAndAccountRule() {
    assertThat(Rule.class.isSealed()).isTrue();
    assertThat(Rule.class.getPermittedSubclasses())
        .containsExactlyInAnyOrder(KeyRule.class, AccountRule.class);
    assertThat(KeyRule.class.isSealed()).isFalse();
    assertThat(AccountRule.class.isSealed()).isFalse();
  }
}
