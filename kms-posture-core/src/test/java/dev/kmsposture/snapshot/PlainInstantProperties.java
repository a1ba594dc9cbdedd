package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/**
 * The quick path for plain UTC instants ({@code 2026-11-28T09:00:00Z}) gives exactly what {@link
 * Instant#parse} gives, and leaves every text it does not accept (an invalid day, hour 24, a leap
 * second, a fraction, another shape) to the regular path.
 */
class PlainInstantProperties {

  @Test
  void plainSeconds_agreesWithInstantParse_onValidAndInvalidFields() {
    qt().withExamples(20_000)
        .forAll(
            integers().between(0, 9999),
            integers().between(0, 13),
            integers().between(0, 32),
            // hour 0-25, minute and second 0-61, packed in one number
            integers().between(0, 26 * 62 * 62 - 1))
        .checkAssert(
            (y, mo, d, time) -> {
              int h = time / (62 * 62);
              int mi = time / 62 % 62;
              int s = time % 62;
              String text = String.format("%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
              Instant quick = SnapshotCodec.plainSeconds(text);
              Instant parsed;
              try {
                parsed = Instant.parse(text);
              } catch (DateTimeParseException e) {
                parsed = null;
              }
              if (quick != null) {
                assertThat(quick).as(text).isEqualTo(parsed);
              } else {
                // only what the formatter rejects, or accepts beyond plain times (24:00, leap
                // seconds), is left to the regular path
                assertThat(parsed == null || h > 23 || mi > 59 || s > 59)
                    .as(text + " left to the regular path")
                    .isTrue();
              }
            });
  }

  @Test
  void plainSeconds_leavesOtherShapesToTheRegularPath() {
    for (String text :
        new String[] {
          "2026-11-28T09:00:00.5Z",
          "2026-11-28T09:00:00+00:00",
          "2026-11-28 09:00:00Z",
          "2026-11-28T09:00:00z",
          "2026-1a-28T09:00:00Z",
          "+2026-11-28T09:00:0Z",
          "2026-11-28T09:00:00",
          ""
        }) {
      assertThat(SnapshotCodec.plainSeconds(text)).as(text).isNull();
    }
  }
}
