package dev.kmsposture.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
  @Test
  void elements_arriveInTheSourcesOrder_eachIterationAfresh() {
    qt().withExamples(100)
        .forAll(integers().between(0, 5_000))
        .checkAssert(
            n -> {
              List<Integer> source = IntStream.range(0, n).boxed().toList();
              try (ReadAhead ahead = new ReadAhead()) {
                Iterable<Integer> read = ahead.of(source);
                assertThat(read).containsExactlyElementsOf(source);
                assertThat(read).containsExactlyElementsOf(source);
              }
            });
  }

  @Test
  void whatTheSourceThrows_isThrownWhereTheCallerReachesIt() {
    Iterable<Integer> failing =
        () ->
            new Iterator<>() {
              private int i;

              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Integer next() {
                if (i == 1500) {
                  throw new IllegalStateException("spool unreadable");
                }
                return i++;
              }
            };
    try (ReadAhead ahead = new ReadAhead()) {
      List<Integer> seen = new ArrayList<>();
      Iterator<Integer> it = ahead.of(failing).iterator();
      assertThatThrownBy(
              () -> {
                while (it.hasNext()) {
                  seen.add(it.next());
                }
              })
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("spool unreadable");
      assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 1500).boxed().toList());
    }
  }

  @Test
  void close_stopsAReadingThatWasLeftUnfinished() {
    Iterable<Integer> endless =
        () ->
            new Iterator<>() {
              private int i;

              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Integer next() {
                return i++;
              }
            };
    ReadAhead ahead = new ReadAhead();
    Iterator<Integer> it = ahead.of(endless).iterator();
    assertThat(it.next()).isZero();
    ahead.close();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("kms-posture-read-ahead") && t.isAlive());
  }
}
