package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageTest {
  private static final RuleInfo INFO = EngineFixtures.info("Sample", Severity.RECOMMENDED);
  private static final KeySnapshot KEY = EngineFixtures.key("k1", "prod-customer-pii");

  @Test
  void render_fillsPlaceholdersInOrder() {
    assertThat(Message.of("Rotation is disabled on %s (%d days)", "the CMK", 400).render())
        .isEqualTo("Rotation is disabled on the CMK (400 days)");
    assertThat(Message.of("100%% of %s", "keys").render()).isEqualTo("100% of keys");
    assertThat(Message.of("100%% sure").render()).isEqualTo("100% sure");
    assertThat(Message.of("plain").render()).isEqualTo("plain");
    assertThat(Message.of("%s", (Object) null).render()).isEqualTo("null");
  }

  @Test
  void of_singleArrayArgument_isOneArgumentNotTheList() {
    Object[] array = {"a", "b"};
    assertThat(Message.of("x %s", (Object) array).render()).startsWith("x [Ljava.lang.Object;");
    assertThat(Message.of("%s and %s", "a", "b").render()).isEqualTo("a and b");
  }

  @Test
  void of_copiesTheArguments() {
    Object[] args = {"first", "second"};
    Message m = Message.of("%s %s", args);
    args[0] = "changed";
    assertThat(m.render()).isEqualTo("first second");
  }

  @Test
  void of_badTemplate_isRejectedWhenMadeNotWhenRead() {
    assertThatThrownBy(() -> Message.of("%s and %s", "one"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Message.of("%x", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Message.of("  ")).hasMessageContaining("needs a message");
  }

  @Test
  void finding_withMessage_equalsFindingWithTheRenderedText() {
    Finding lazy = Finding.fail(INFO, KEY, Message.of("Rotation is disabled on %s", "x"));
    Finding eager = Finding.fail(INFO, KEY, "Rotation is disabled on x");

    assertThat(lazy.message()).isEqualTo("Rotation is disabled on x");
    assertThat(lazy).isEqualTo(eager).hasSameHashCodeAs(eager);
    assertThat(lazy.toString()).contains("message=Rotation is disabled on x");
    assertThat(lazy.withPriority(Finding.Priority.ELEVATED, List.of("prod")).message())
        .isEqualTo("Rotation is disabled on x");
    assertThat(
            lazy.at(new PolicyLocation(new StatementPlace(0, "Sid", "/Statement/0"), "sid:Sid"))
                .message())
        .isEqualTo("Rotation is disabled on x");
    assertThat(
            lazy.about("grant-1").withDisposition(Finding.Disposition.SUPPRESSED, "ok").message())
        .isEqualTo("Rotation is disabled on x");
    assertThat(lazy.fingerprint()).isEqualTo(eager.fingerprint());
  }

  @Test
  void finding_factories_coverEveryStatus() {
    assertThat(Finding.pass(INFO, KEY, Message.of("p %s", 1)).status()).isEqualTo(Status.PASS);
    assertThat(Finding.notApplicable(INFO, KEY, Message.of("n")).status())
        .isEqualTo(Status.NOT_APPLICABLE);
    assertThat(Finding.unknown(INFO, KEY, Message.of("u")).status()).isEqualTo(Status.UNKNOWN);
    assertThat(Finding.of(INFO, Status.FAIL, KEY, Message.of("f")).subject())
        .isEqualTo("prod-customer-pii");
  }
}
