package dev.kmsposture.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatementPlaceTest {
  @Test
  void new_negativeIndex_failsWithTheIndex() {
    assertThatThrownBy(() -> new StatementPlace(-1, null, "/Statement/0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("statement index [-1] is negative; expected 0 or more");
  }

  @Test
  void of_statementOfAPolicy_hasItsSidAndPointer() {
    // given
    KeyPolicy policy =
        KeyPolicy.parse(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\","
                + "\"Resource\":\"*\"},{\"Sid\":\"Use\",\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"arn:aws:iam::111122223333:role/App\"},\"Action\":\"kms:Decrypt\","
                + "\"Resource\":\"*\"}]}");

    // when
    StatementPlace first = StatementPlace.of(policy, 0);
    StatementPlace second = StatementPlace.of(policy, 1);

    // then
    assertThat(first).isEqualTo(new StatementPlace(0, null, "/Statement/0"));
    assertThat(second).isEqualTo(new StatementPlace(1, "Use", "/Statement/1"));
  }

  @Test
  void renderings_withAndWithoutSid_nameIndexSidAndPointer() {
    StatementPlace named = new StatementPlace(2, "Admins", "/Statement/2");
    StatementPlace unnamed = new StatementPlace(0, null, "/Statement/0");

    assertThat(named).hasToString("statement #2 [Admins] (/Statement/2)");
    assertThat(named.name()).isEqualTo("/Statement/2 (Sid \"Admins\")");
    assertThat(unnamed).hasToString("statement #0 (/Statement/0)");
    assertThat(unnamed.name()).isEqualTo("/Statement/0");
    assertThat(named.sidIfPresent()).contains("Admins");
    assertThat(unnamed.sidIfPresent()).isEmpty();
  }

  @Test
  void at_anotherPointer_keepsIndexAndSid() {
    StatementPlace place = new StatementPlace(1, "Use", "/Statement/1");

    assertThat(place.at("/Statement/1/Principal"))
        .isEqualTo(new StatementPlace(1, "Use", "/Statement/1/Principal"));
  }
}
