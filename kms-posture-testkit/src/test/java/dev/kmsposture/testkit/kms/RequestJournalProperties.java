package dev.kmsposture.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.kmsposture.testkit.internal.kms.Uuids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The journal keeps its entries in parts (what alike entries share once, times and UUIDs as
 * numbers) and gives back exactly what was recorded, in order: against a plain list as the model,
 * over runs of recorded entries (ids UUIDs or not, alike parts the same objects or only equal) and
 * failed requests marked.
 */
class RequestJournalProperties {
  private static final Pattern CANONICAL =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private static final String[] ODD_IDS = {
    "",
    "req-1",
    "not a uuid at all, but 36 chars long",
    "ABCDEF01-2345-6789-ABCD-EF0123456789",
    "abcdef01-2345-6789-abcd-ef012345678g",
    "abcdef01a2345-6789-abcd-ef0123456789",
    "abcdef01-2345-6789-abcd-ef01234567890",
    "{abcdef01-2345-6789-abcd-ef012345678}"
  };
  private static final String[] OPERATIONS = {"Decrypt", "Encrypt", "RotateKey", "DescribeKey"};
  private static final Caller[] CALLERS = {
    Caller.root(Caller.DEFAULT_ACCOUNT), Caller.of("arn:aws:iam::123456789012:user/alice")
  };
  private static final String[] ARNS = {
    "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  };
  private static final String[] PARAMETERS = {
    "{}", "{\"keyId\":\"alias/a\"}", "{\"encryptionContext\":{\"purpose\":\"bench\"}}"
  };

  /** The journal as it was before it kept entries in parts, for comparison. */
  private static final class Model {
    final List<JournalEntry> entries = new ArrayList<>();

    boolean markFailed(String requestId, String code, String message) {
      boolean found = false;
      for (int i = entries.size() - 1; i >= Math.max(0, entries.size() - 4096); i--) {
        JournalEntry entry = entries.get(i);
        if (entry.requestId().equals(requestId) && entry.eventType().equals("AwsApiCall")) {
          entries.set(i, entry.withError(code, message));
          found = true;
        }
      }
      return found;
    }
  }

  /** A copy of {@code text} that is equal but not the same object, half of the time. */
  private static String maybeCopy(SplittableRandom r, String text) {
    return r.nextBoolean() ? text : new String(text.toCharArray());
  }

  private static String id(SplittableRandom r, List<String> earlier) {
    int pick = r.nextInt(10);
    if (pick == 0) {
      return ODD_IDS[r.nextInt(ODD_IDS.length)];
    }
    if (pick == 1 && !earlier.isEmpty()) {
      return earlier.get(r.nextInt(earlier.size()));
    }
    return new UUID(r.nextLong(), r.nextLong()).toString();
  }

  private static Instant time(SplittableRandom r) {
    return switch (r.nextInt(8)) {
      case 0 -> Instant.MIN;
      case 1 -> Instant.MAX;
      case 2 -> Instant.EPOCH;
      default ->
          Instant.ofEpochSecond(
              r.nextLong(-100_000_000_000L, 100_000_000_000L), r.nextInt(1_000_000_000));
    };
  }

  private static JournalEntry entry(SplittableRandom r, List<String> requestIds) {
    String requestId = id(r, requestIds);
    requestIds.add(requestId);
    List<String> arns =
        switch (r.nextInt(3)) {
          case 0 -> List.of();
          case 1 -> List.of(maybeCopy(r, ARNS[r.nextInt(2)]));
          default -> List.of(ARNS[0], ARNS[1]);
        };
    boolean failed = r.nextInt(5) == 0;
    return new JournalEntry(
        time(r),
        id(r, List.of()),
        requestId,
        r.nextInt(6) == 0 ? "AwsServiceEvent" : "AwsApiCall",
        maybeCopy(r, r.nextInt(8) == 0 ? "sts" : "kms"),
        maybeCopy(r, OPERATIONS[r.nextInt(OPERATIONS.length)]),
        r.nextInt(4) == 0 ? "eu-west-1" : "us-east-1",
        CALLERS[r.nextInt(CALLERS.length)],
        arns,
        failed ? "AccessDeniedException" : null,
        r.nextBoolean(),
        r.nextInt(4) == 0 ? "" : "aws-sdk-java/2 ua/2.1",
        "127.0.0.1",
        maybeCopy(r, PARAMETERS[r.nextInt(PARAMETERS.length)]),
        failed && r.nextBoolean() ? "denied" : null);
  }

  @Test
  void entries_areTheRecordedOnes_inOrder_withFailuresMarked() {
    qt().withExamples(150)
        .forAll(longs().all(), integers().between(0, 2600))
        .checkAssert(
            (seed, count) -> {
              SplittableRandom r = new SplittableRandom(seed);
              RequestJournal journal = new RequestJournal();
              Model model = new Model();
              List<String> requestIds = new ArrayList<>();
              for (int i = 0; i < count; i++) {
                if (r.nextInt(10) == 0 && !requestIds.isEmpty()) {
                  String requestId =
                      r.nextInt(4) == 0
                          ? id(r, List.of())
                          : requestIds.get(r.nextInt(requestIds.size()));
                  String message = "failed " + i;
                  assertThat(journal.markFailed(requestId, "ThrottlingException", message))
                      .isEqualTo(model.markFailed(requestId, "ThrottlingException", message));
                } else {
                  JournalEntry e = entry(r, requestIds);
                  journal.record(e);
                  model.entries.add(e);
                }
              }
              assertThat(journal.entries()).containsExactlyElementsOf(model.entries);
              assertThat(journal.entries(JournalEntry::succeeded))
                  .containsExactlyElementsOf(
                      model.entries.stream().filter(JournalEntry::succeeded).toList());
            });
  }

  @Test
  void clear_forgetsEverything_andTheJournalFillsAgain() {
    SplittableRandom r = new SplittableRandom(7);
    RequestJournal journal = new RequestJournal();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      journal.record(entry(r, ids));
    }
    journal.clear();
    assertThat(journal.entries()).isEmpty();
    JournalEntry again = entry(r, ids);
    journal.record(again);
    assertThat(journal.entries()).containsExactly(again);
  }

  @Test
  void uuids_roundTrip_asTheJdkWritesThem() {
    qt().forAll(longs().all(), longs().all())
        .checkAssert(
            (high, low) -> {
              String text = new UUID(high, low).toString();
              long[] parsed = new long[3];
              assertThat(Uuids.text(high, low)).isEqualTo(text);
              assertThat(Uuids.parse(text, parsed, 1)).isTrue();
              assertThat(parsed).containsExactly(0L, high, low);
            });
  }

  @Test
  void uuids_readExactlyTheCanonicalLowerCaseText() {
    qt().forAll(
            strings()
                .betweenCodePoints('-', 'g')
                .ofLengthBetween(34, 38)
                .mix(
                    Generate.pick(
                            List.of(
                                "0123456789abcdef-",
                                "ABCDEF-",
                                "abc-g",
                                // outside ASCII, with the low seven bits of a digit or a dash
                                "0123456789abcdef\u00b0\u00b9\u00e1\u0130\u01e6\u00ad"))
                        .zip(longs().all(), (alphabet, seed) -> canonicalLike(alphabet, seed))))
        .checkAssert(
            text -> {
              long[] parsed = new long[2];
              boolean read = Uuids.parse(text, parsed, 0);
              assertThat(read).isEqualTo(CANONICAL.matcher(text).matches());
              if (read) {
                assertThat(Uuids.text(parsed[0], parsed[1])).isEqualTo(text);
              }
            });
  }

  /** 36 characters drawn from {@code alphabet}, dashes where a UUID has them. */
  private static String canonicalLike(String alphabet, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder out = new StringBuilder(36);
    for (int i = 0; i < 36; i++) {
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      out.append(dash && r.nextInt(20) != 0 ? '-' : alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
