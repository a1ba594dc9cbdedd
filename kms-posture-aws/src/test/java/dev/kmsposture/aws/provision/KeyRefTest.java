package dev.kmsposture.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyRefTest {
  private static final String ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  @Test
  void anExistingKeyHasItsArnAndIsNotCreated() {
    KeyRef ref = KeyRef.existing(ARN);

    assertThat(ref.existingArn()).contains(ARN);
    assertThat(ref.isCreated()).isFalse();
  }

  @Test
  void aCreatedKeyHasNoArnYet() {
    KeyRef ref = KeyRef.created("eu-west-1");

    assertThat(ref.existingArn()).isEmpty();
    assertThat(ref.isCreated()).isTrue();
    assertThat(ref.createdIn()).isEqualTo("eu-west-1");
  }

  @Test
  void bothOrNeitherPartIsRejectedWithBothValues() {
    assertThatThrownBy(() -> new KeyRef(ARN, "eu-west-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[" + ARN + "] and [eu-west-1]");
    assertThatThrownBy(() -> new KeyRef("", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[] and []");
  }
}
