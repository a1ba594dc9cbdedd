package dev.kmsposture.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The snapshot mapper writes an instant exactly as the date-time module did when it was registered
 * (with dates not written as timestamps): alone, inside a record, and with fractions of every
 * length, across the years a snapshot can hold and beyond.
 */
class InstantTextProperties {
  // What the snapshot mapper used to be for instants.
  private static final ObjectMapper DATE_TIME_MODULE =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  @Test
  void writesInstantsAsTheDateTimeModuleDid() {
    qt().withExamples(20_000)
        // from year -9999 to 9999 (and so also the 4-digit years of real snapshots)
        .forAll(
            longs().between(-377_705_116_800L, 253_402_300_799L),
            integers().between(0, 999_999_999),
            integers().between(0, 3))
        .checkAssert(
            (seconds, nanos, shape) -> {
              // whole seconds, milliseconds, microseconds and nanoseconds
              int n =
                  switch (shape) {
                    case 0 -> 0;
                    case 1 -> nanos / 1_000_000 * 1_000_000;
                    case 2 -> nanos / 1_000 * 1_000;
                    default -> nanos;
                  };
              Instant instant = Instant.ofEpochSecond(seconds, n);
              assertThat(write(SnapshotCodec.MAPPER, instant))
                  .as(instant.toString())
                  .isEqualTo(write(DATE_TIME_MODULE, instant));
            });
  }

  @Test
  void writesTheEdgesAsTheDateTimeModuleDid() {
    for (Instant instant :
        List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.ofEpochSecond(-1, 999_999_999))) {
      assertThat(write(SnapshotCodec.MAPPER, instant))
          .as(instant.toString())
          .isEqualTo(write(DATE_TIME_MODULE, instant));
    }
  }

  @Test
  void writesASnapshotAsTheMapperWithTheDateTimeModuleDid() throws Exception {
    // the snapshot mapper as it was built with the date-time module
    ObjectMapper old =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(
                new SimpleModule("utc-instants")
                    .addDeserializer(Instant.class, new SnapshotCodec.UtcInstant()))
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .defaultPropertyInclusion(
                JsonInclude.Value.construct(
                    JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();
    AccountSnapshot snapshot = SnapshotFixtures.full();
    String written = SnapshotCodec.write(snapshot);
    assertThat(written).isEqualTo(old.writeValueAsString(snapshot) + "\n");
    assertThat(old.readValue(written, AccountSnapshot.class)).isEqualTo(snapshot);
    for (KeySnapshot key : snapshot.keys()) {
      assertThat(key.toJson())
          .isEqualTo(
              old.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(key));
    }
  }

  private static String write(ObjectMapper mapper, Instant instant) {
    try {
      return mapper
          .writer()
          .without(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(List.of(instant));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
