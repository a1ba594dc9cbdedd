package dev.kmsposture.aws.provision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeftoverKeyTest {
  @Test
  void onlyADisabledOrDeletingKeyIsUnusable() {
    Map<String, Boolean> unusable =
        Map.of(
            "Enabled", false,
            "Disabled", true,
            "PendingDeletion", true,
            "PendingReplicaDeletion", true,
            "PendingImport", false,
            "Unavailable", false,
            "Creating", false);
    unusable.forEach(
        (state, expected) ->
            assertThat(leftover(state).isUnusable()).as(state).isEqualTo(expected));
  }

  private static LeftoverKey leftover(String state) {
    return new LeftoverKey(
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "us-east-1",
        false,
        state,
        true,
        List.of("tagged"));
  }
}
