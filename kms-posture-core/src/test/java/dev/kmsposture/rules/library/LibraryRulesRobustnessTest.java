package dev.kmsposture.rules.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.AccountRule;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Rule;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeyLastUsage;
import dev.kmsposture.snapshot.KeyMetadata;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.MultiRegionConfiguration;
import dev.kmsposture.snapshot.MultiRegionConfiguration.MultiRegionKey;
import dev.kmsposture.snapshot.RotationStatus;
import dev.kmsposture.testing.TestKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every rule of the catalogue gives at least one finding with a message, and throws nothing, for
 * every kind of key in every state, with its parts all missing or all present.
 */
class LibraryRulesRobustnessTest {
  private static final Instant NOW = Instant.parse(Fixtures.NOW);
  private static final List<String[]> KINDS =
      List.of(
          new String[] {"SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"},
          new String[] {"RSA_2048", "SIGN_VERIFY"},
          new String[] {"RSA_4096", "ENCRYPT_DECRYPT"},
          new String[] {"HMAC_256", "GENERATE_VERIFY_MAC"},
          new String[] {"ECC_NIST_P256", "KEY_AGREEMENT"},
          new String[] {"ML_KEM_768", "ENCAPSULATE_DECAPSULATE"});
  private static final List<String> ORIGINS =
      List.of("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
  private static final List<String> STATES =
      List.of(
          "Creating",
          "Enabled",
          "Disabled",
          "PendingDeletion",
          "PendingReplicaDeletion",
          "PendingImport",
          "Unavailable",
          "Updating");

  private static List<KeySnapshot> keys() {
    List<KeySnapshot> keys = new ArrayList<>();
    int n = 0;
    for (String manager : List.of("CUSTOMER", "AWS")) {
      for (String[] kind : KINDS) {
        for (String origin : ORIGINS) {
          for (String state : STATES) {
            for (boolean parts : List.of(false, true)) {
              for (String mr : List.of("", "PRIMARY", "REPLICA")) {
                String id = String.format("%08d-0000-0000-0000-000000000000", n++);
                String arn = "arn:aws:kms:us-east-1:111122223333:key/" + id;
                MultiRegionConfiguration config =
                    mr.isEmpty()
                        ? null
                        : new MultiRegionConfiguration(
                            mr,
                            new MultiRegionKey(
                                mr.equals("PRIMARY")
                                    ? arn
                                    : "arn:aws:kms:us-west-2:111122223333:key/" + id,
                                mr.equals("PRIMARY") ? "us-east-1" : "us-west-2"),
                            List.of(
                                new MultiRegionKey(
                                    "arn:aws:kms:eu-west-1:111122223333:key/" + id, "eu-west-1")));
                KeyMetadata m =
                    TestKeys.metadata()
                        .keyManager(manager)
                        .keySpec(kind[0])
                        .keyUsage(kind[1])
                        .origin(origin)
                        .customKeyStoreId(origin.startsWith("AWS_CLOUDHSM") ? "cks-1" : null)
                        .keyState(state)
                        .creationDate(Instant.parse("2024-01-01T00:00:00Z"))
                        .multiRegion(config)
                        .expirationModel(origin.equals("EXTERNAL") ? "KEY_MATERIAL_EXPIRES" : null)
                        .build();
                KeySnapshot.Builder b = KeySnapshot.builder(arn, m);
                if (parts) {
                  b.aliases(List.of())
                      .tags(Map.of())
                      .policy("not json")
                      .rotation(new RotationStatus(false, null, null, null))
                      .rotations(List.of())
                      .grants(List.of())
                      .lastUsage(new KeyLastUsage(null, null, null))
                      .keyEvents(List.of())
                      .resources(List.of());
                }
                keys.add(b.build());
              }
            }
          }
        }
      }
    }
    return keys;
  }

  @Test
  void check_everyKeyKindStateAndPartCombination_givesFindingsWithoutThrowing() {
    // given
    List<KeySnapshot> keys = keys();
    AccountSnapshot snapshot = AccountSnapshot.of("111122223333", NOW, keys);
    RuleContext context = RuleContext.of(snapshot, PostureConfig.defaults());

    // when
    int findings = 0;
    for (Rule rule : KmsPostureRules.all().rules()) {
      if (rule instanceof KeyRule keyRule) {
        for (KeySnapshot key : keys) {
          List<Finding> out = keyRule.check(key, context);
          // then
          assertThat(out).as("%s on %s", rule.id(), key.arn()).isNotEmpty();
          assertThat(out).allSatisfy(f -> assertThat(f.message()).isNotBlank());
          findings += out.size();
        }
      } else {
        assertThat(((AccountRule) rule).check(snapshot, context)).isNotEmpty();
      }
    }
    assertThat(findings).isGreaterThanOrEqualTo(keys.size());
  }
}
