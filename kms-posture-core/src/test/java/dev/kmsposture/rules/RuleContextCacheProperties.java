package dev.kmsposture.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.PolicyParseException;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rule context remembers parsed policies by their text: what it answers is what parsing each
 * key's own text answers, also for texts whose hashes collide.
 */
class RuleContextCacheProperties {
  // Role names of one length, so texts made from the template have one length and differ only
  // in a few characters.
  private static final String ALPHABET = "abAB01";

  private static String policy(String role, boolean broken) {
    String text =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Root\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"kms:*\","
            + "\"Resource\":\"*\"},{\"Sid\":\"Use\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
            + "\"arn:aws:iam::111122223333:role/app-"
            + role
            + "-service-role-with-a-long-name-for-this-test\"},\"Action\":[\"kms:Encrypt\","
            + "\"kms:Decrypt\",\"kms:GenerateDataKey\"],\"Resource\":\"*\"}]}";
    return broken ? text.replace("\"Effect\":\"Allow\"", "\"Effect\":\"Maybe\"") : text;
  }

  private static String role(Random r, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  // A text whose role name differs from every other such text only in pairs of characters four
  // apart (one lane of the hash) that add up alike: 'A' then 'b' and 'B' then 'C' (31 * 65 + 98 =
  // 31 * 66 + 67), so that every such text has the same hash.
  private static String colliding(Random r) {
    char[] role = new char[40];
    for (int block = 0; block < 40; block += 8) {
      for (int j = 0; j < 4; j++) {
        boolean first = r.nextBoolean();
        role[block + j] = first ? 'A' : 'B';
        role[block + j + 4] = first ? 'b' : 'C';
      }
    }
    return policy(new String(role), false);
  }

  private static List<KeySnapshot> keys(long seed, int count) {
    Random r = new Random(seed);
    List<KeySnapshot> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String text = r.nextBoolean() ? colliding(r) : policy(role(r, 40), r.nextInt(8) == 0);
      // new String: each key holds its own copy of the text, as when read from JSON
      keys.add(
          KeySnapshot.builder(
                  "arn:aws:kms:us-east-1:" + EngineFixtures.ACCOUNT + ":key/k" + i,
                  EngineFixtures.metadata())
              .policy(new String(text.toCharArray()))
              .build());
      if (r.nextBoolean()) {
        // the same text again, on another key
        keys.add(
            KeySnapshot.builder(
                    "arn:aws:kms:us-east-1:" + EngineFixtures.ACCOUNT + ":key/again" + i,
                    EngineFixtures.metadata())
                .policy(new String(text.toCharArray()))
                .build());
      }
    }
    return keys;
  }

  private static Optional<KeyPolicy> parsed(String text) {
    try {
      return Optional.of(KeyPolicy.parse(text));
    } catch (PolicyParseException e) {
      return Optional.empty();
    }
  }

  @Test
  void policy_textsWithCollidingHashes_areThePoliciesOfEachKeysOwnText() {
    int[] collisions = new int[1];
    qt().withExamples(80)
        .withShrinkCycles(20)
        .forAll(longs().all(), integers().between(1, 300), integers().between(0, 1))
        .checkAssert(
            (seed, count, streaming) -> {
              List<KeySnapshot> keys = keys(seed, count);
              AccountSnapshot snapshot =
                  AccountSnapshot.of(EngineFixtures.ACCOUNT, EngineFixtures.NOW, keys);
              RuleContext context =
                  streaming == 1
                      ? RuleContext.streaming(snapshot, PostureConfig.defaults(), arn -> null)
                      : RuleContext.of(snapshot, PostureConfig.defaults());
              Set<Integer> hashes = new HashSet<>();
              Set<String> texts = new HashSet<>();
              for (KeySnapshot key : keys) {
                String text = java.util.Objects.requireNonNull(key.policy());
                if (texts.add(text) && !hashes.add(RuleContext.PolicyText.hash(text))) {
                  collisions[0]++;
                }
                // cached (asked twice) and uncached answers agree
                assertThat(context.policy(key)).isEqualTo(parsed(text));
                assertThat(context.policy(key)).isEqualTo(parsed(text));
                assertThat(context.policyProblem(key).isPresent())
                    .isEqualTo(parsed(text).isEmpty());
              }
            });
    // the generator makes distinct texts whose hashes collide
    assertThat(collisions[0]).isGreaterThan(20);
  }

  @Test
  void policyText_equalExactlyWhenTheTextsAreEqual() {
    qt().withExamples(200)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              String a = policy(role(r, 40), false);
              String b = r.nextBoolean() ? new String(a.toCharArray()) : policy(role(r, 40), false);
              RuleContext.PolicyText x = new RuleContext.PolicyText(a);
              RuleContext.PolicyText y = new RuleContext.PolicyText(b);
              assertThat(x.equals(y)).isEqualTo(a.equals(b));
              assertThat(x.compareTo(y) == 0).isEqualTo(a.equals(b));
              if (a.equals(b)) {
                assertThat(x.hashCode()).isEqualTo(y.hashCode());
              }
              // one character changed anywhere changes the hash
              char[] changed = a.toCharArray();
              int at = r.nextInt(changed.length);
              changed[at] = (char) (changed[at] + 1 + r.nextInt(1000));
              assertThat(RuleContext.PolicyText.hash(new String(changed)))
                  .isNotEqualTo(RuleContext.PolicyText.hash(a));
            });
  }
}
